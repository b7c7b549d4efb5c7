/** Phase 4's analysis over a set of files: one project, every type question first, then text splices per file (plan-file.ts). */
import type { Project } from 'ts-morph';
import type { SsotManifest } from '../../manifest/types.js';
import type { ReviewItem } from '../phase/types.js';
import { parseSource } from '../engine/parse.js';
import { Analyzer, planFile, type AnalysisResult, type FileChange } from './plan-file.js';

/** Strings a file must contain to need this phase (adapter classes, factory entry names). */
export function removeAdaptersTokens(manifest: SsotManifest): string[] {
  const t = new Set<string>();
  for (const a of manifest.adapters) t.add(a.class);
  for (const e of manifest.factory?.entries ?? []) t.add(e.call.split('.')[0]!);
  return [...t];
}

/**
 * `files` are repo-relative; `project(files)` loads them (and what they import) once. Files
 * that do not parse are reported and left byte-identical.
 */
export function analyzeRemoveAdapters(root: string, manifest: SsotManifest, files: readonly string[], read: (f: string) => string | undefined, project: (files: readonly string[]) => Project): AnalysisResult {
  const tokens = removeAdaptersTokens(manifest);
  const problems: ReviewItem[] = [];
  const needsReview: ReviewItem[] = [];
  const texts = new Map<string, string>();
  for (const file of files) {
    const text = read(file);
    if (text === undefined || !tokens.some((t) => text.includes(t))) continue;
    const { error } = parseSource(file, text);
    if (error) {
      problems.push({ file, line: error.line, message: `does not parse (${error.message}); left untouched` });
      continue;
    }
    texts.set(file, text);
  }
  if (texts.size === 0) return { changes: [], needsReview, problems, edits: 0 };
  const p = project([...texts.keys()]);
  const an = new Analyzer(root, manifest);
  const changes: FileChange[] = [];
  let edits = 0;
  for (const [file, text] of texts) {
    const r = planFile(an, manifest, { file, text, sf: p.getSourceFileOrThrow(`${root}/${file}`) }, needsReview);
    if (!r) continue;
    changes.push({ file, before: text, after: r.after });
    edits += r.edits;
  }
  return { changes, needsReview, problems, edits };
}
