/**
 * The phase commit message, written and read in one place: the subject `ssot(<phase>): <summary>`,
 * the "Needs review (n):" and "Left untouched (n):" lists, the "Verified:" line and the SSOT-*
 * trailers (git trailer syntax, last paragraph). The runner writes it, the ledger, `status` and
 * `review` read it. Message builders return a string, so how it reaches git can change alone.
 */
import { REMOVE_SHIM_TRAILERS, type PhasePlan, type ReviewItem } from '../../codemods/index.js';

export const TRAILER = {
  phase: 'SSOT-Phase',
  files: 'SSOT-Files',
  edits: 'SSOT-Edits',
  compliance: 'SSOT-Compliance',
  needsReview: 'SSOT-Needs-Review',
  rollback: 'SSOT-Rollback',
  reverts: 'SSOT-Reverts',
} as const;

const NEEDS_REVIEW = 'Needs review';
const LEFT_UNTOUCHED = 'Left untouched';
const VERIFIED = 'Verified:';

export interface PhaseFigures {
  files?: number;
  edits?: number;
  compliance?: { before: number; after: number };
  needsReview?: number;
  verified?: string;
  /**
   * The telemetry evidence a gated deletion (remove-shim) opened on, from its trailers: what was
   * judged, each id's verdict with its coverage, or the reason a person gave for having none.
   */
  telemetry?: { evidence?: string; verdicts?: string[]; withoutTelemetry?: string };
  /** Set on rollback commits: the phase they undo. */
  rollbackOf?: string;
  reverts?: string;
}

export interface CommitMessage {
  subject: string;
  /** The whole message. */
  message: string;
  trailers: Record<string, string>;
  /** The phase a phase commit records (SSOT-Phase). */
  phase?: string;
  needsReview: ReviewItem[];
  leftUntouched: ReviewItem[];
  figures: PhaseFigures;
  /** Disagreements between the lists and the trailers (a hand-edited message, a truncated list). */
  warnings: string[];
}

const itemLine = (r: ReviewItem) => `- ${r.file}:${r.line} ${r.message}`;

/** The message of a verified phase commit. */
export function phaseCommitMessage(plan: Pick<PhasePlan, 'phase' | 'summary' | 'edits' | 'needsReview' | 'problems' | 'trailers'>, figures: { files: number; before: number; after: number }, verified: string): string {
  const body: string[] = [];
  if (plan.needsReview.length) body.push(`${NEEDS_REVIEW} (${plan.needsReview.length}):`, ...plan.needsReview.map(itemLine), '');
  if (plan.problems.length) body.push(`${LEFT_UNTOUCHED} (${plan.problems.length}):`, ...plan.problems.map(itemLine), '');
  body.push(`${VERIFIED} ${verified}`);
  const trailers = [
    `${TRAILER.phase}: ${plan.phase}`,
    `${TRAILER.files}: ${figures.files}`,
    `${TRAILER.edits}: ${plan.edits}`,
    `${TRAILER.compliance}: ${figures.before.toFixed(1)}->${figures.after.toFixed(1)}`,
    `${TRAILER.needsReview}: ${plan.needsReview.length}`,
    // the phase's own (e.g. remove-shim's telemetry evidence); one line each, never overriding ours
    ...Object.entries(plan.trailers ?? {})
      .filter(([k]) => /^[A-Za-z][A-Za-z0-9-]*$/.test(k) && !(Object.values(TRAILER) as string[]).includes(k))
      .map(([k, v]) => `${k}: ${v.replace(/\s+/g, ' ').trim()}`),
  ];
  return `ssot(${plan.phase}): ${plan.summary}\n\n${body.join('\n')}\n\n${trailers.join('\n')}\n`;
}

/** The message of a verified revert of a phase commit. */
export function rollbackCommitMessage(phase: string, sha: string, verified: string): string {
  return `ssot(rollback): revert ${phase} (${sha.slice(0, 10)})\n\nThis reverts commit ${sha}.\n${VERIFIED} ${verified}\n\n${TRAILER.rollback}: ${phase}\n${TRAILER.reverts}: ${sha}\n`;
}

const TRAILER_LINE = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/;

/** Trailers of a message: its last paragraph, when every line of it is `Key: value`. */
export function parseTrailers(message: string): Record<string, string> {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs.length > 1 ? paragraphs.at(-1)! : '';
  const lines = last.split('\n').filter((l) => l.trim() !== '');
  const out: Record<string, string> = {};
  if (!lines.length || !lines.every((l) => TRAILER_LINE.test(l.trim()))) return out;
  for (const l of lines) {
    const m = TRAILER_LINE.exec(l.trim())!;
    out[m[1]!] = m[2]!;
  }
  return out;
}

function parseItem(text: string): ReviewItem {
  const m = /^(.+?):(\d+)\s+(.*)$/.exec(text);
  return m ? { file: m[1]!, line: Number(m[2]), message: m[3]! } : { file: text, line: 0, message: '' };
}

function list(lines: string[], heading: string): { items: ReviewItem[]; declared: number | undefined } {
  const start = lines.findIndex((l) => l.startsWith(`${heading} (`));
  if (start < 0) return { items: [], declared: undefined };
  const declared = Number(/\((\d+)\)/.exec(lines[start]!)?.[1]);
  const items: ReviewItem[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith('- ')) break;
    items.push(parseItem(l.slice(2)));
  }
  return { items, declared: Number.isFinite(declared) ? declared : undefined };
}

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function parseCommitMessage(text: string): CommitMessage {
  const message = text.trimEnd();
  const lines = message.split('\n');
  const trailers = parseTrailers(message);
  const warnings: string[] = [];
  const review = list(lines, NEEDS_REVIEW);
  const untouched = list(lines, LEFT_UNTOUCHED);
  for (const [name, l] of [[NEEDS_REVIEW, review], [LEFT_UNTOUCHED, untouched]] as const) {
    if (l.declared !== undefined && l.declared !== l.items.length) warnings.push(`"${name} (${l.declared})" lists ${l.items.length} item(s)`);
  }
  const figures: PhaseFigures = {};
  const files = num(trailers[TRAILER.files]);
  if (files !== undefined) figures.files = files;
  const edits = num(trailers[TRAILER.edits]);
  if (edits !== undefined) figures.edits = edits;
  const compliance = /^(-?[\d.]+)\s*->\s*(-?[\d.]+)$/.exec(trailers[TRAILER.compliance] ?? '');
  if (compliance) figures.compliance = { before: Number(compliance[1]), after: Number(compliance[2]) };
  const needs = num(trailers[TRAILER.needsReview]);
  if (needs !== undefined) {
    figures.needsReview = needs;
    if (needs !== review.items.length) warnings.push(`${TRAILER.needsReview} says ${needs} but the message lists ${review.items.length}`);
  }
  const verified = lines.find((l) => l.startsWith(VERIFIED));
  if (verified) figures.verified = verified.slice(VERIFIED.length).trim();
  const tEvidence = trailers[REMOVE_SHIM_TRAILERS.telemetry];
  const tVerdicts = trailers[REMOVE_SHIM_TRAILERS.verdicts];
  const tWithout = trailers[REMOVE_SHIM_TRAILERS.withoutTelemetry];
  if (tEvidence || tVerdicts || tWithout) {
    figures.telemetry = {
      ...(tEvidence ? { evidence: tEvidence } : {}),
      ...(tVerdicts ? { verdicts: tVerdicts.split(/;\s*/).filter(Boolean) } : {}),
      ...(tWithout ? { withoutTelemetry: tWithout } : {}),
    };
  }
  if (trailers[TRAILER.rollback]) figures.rollbackOf = trailers[TRAILER.rollback];
  if (trailers[TRAILER.reverts]) figures.reverts = trailers[TRAILER.reverts];
  const out: CommitMessage = { subject: lines[0] ?? '', message, trailers, needsReview: review.items, leftUntouched: untouched.items, figures, warnings };
  if (trailers[TRAILER.phase]) out.phase = trailers[TRAILER.phase];
  return out;
}

/** Compatibility for review: the lists and figures of a message whose trailers were read already. */
export function parsePhaseMessage(message: string): Pick<CommitMessage, 'needsReview' | 'leftUntouched' | 'figures' | 'warnings'> {
  const { needsReview, leftUntouched, figures, warnings } = parseCommitMessage(message);
  return { needsReview, leftUntouched, figures, warnings };
}
