/** Public surface of scripts/review: a phase commit as a reviewable report (text, JSON, HTML). */
export { buildReview, manifestVocabulary } from './report.js';
export type { FileChange, FileStatus, GroupMember, HunkGroup, ReviewReport, ReviewResult, TodoMarker } from './report.js';
export { formatReviewText, useColor, type TextOptions } from './format-text.js';
export { renderReviewHtml, escapeHtml, type HtmlOptions } from './format-html.js';
export { hunkShape, tokenize, type HunkShape, type ShapeLine } from './shape.js';
export { parseCommitMessage, phaseCommitMessage, type CommitMessage, type PhaseFigures } from '../git/index.js';
export { resolveTarget, commitDiff, ReviewError, type CommitInfo, type ResolvedTarget } from './git.js';
