import { formatPatch, structuredPatch } from 'diff';
import { runsOfChanges } from './diff-edits.js';

export { createDiffFromEdits } from './diff-edits.js';

/** A git-style unified diff of one file (a/ b/ prefixes, so `git apply` takes it). */
export function unifiedDiff(file: string, before: string, after: string): string {
  return createDiff(file, before, after).diff;
}

/**
 * Changed regions (diff hunks without context). When the line count is unchanged (most
 * splices) the regions are the runs of differing lines, counted in one pass; otherwise a line diff.
 */
export function changedRegions(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return structuredPatch('a', 'b', before, after, '', '', { context: 0 }).hunks.length;
  return lineRuns(a, b);
}

function lineRuns(a: readonly string[], b: readonly string[]): number {
  let regions = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && (i === 0 || a[i - 1] === b[i - 1])) regions++;
  return regions;
}

/**
 * The unified diff of one changed file and its changed regions (changedRegions' figure), from
 * one line diff: computed where the file was transformed (a pool worker), so the main thread
 * does not diff every file again after the workers finish.
 */
export function createDiff(file: string, before: string, after: string): { diff: string; edits: number } {
  const patch = structuredPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
  const a = before.split('\n');
  const b = after.split('\n');
  return { diff: formatPatch(patch), edits: a.length === b.length ? lineRuns(a, b) : runsOfChanges(patch.hunks) };
}
