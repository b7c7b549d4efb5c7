/** From per-file reports to a plan's review lists and edit count: the same measure for every phase. */
import { changedRegions } from '../engine/diff.js';
import type { FileReport } from '../engine/types.js';
import type { ReviewItem } from './types.js';

/** Problem codes a reviewer must look at; "deferred" ones are left for a later phase on purpose. */
const REVIEW_CODES = new Set(['needs-review', 'kind-mismatch', 'missing-export', 'unmapped-name', 'incompatible', 'no-canonical']);

/** Edits = changed regions (diff hunks without context): engine/diff.ts, shared with the pool workers. */
export const countEdits = changedRegions;

/** Failed and skipped files become "left untouched"; review-worthy problems "needs review"; deferred ones are counted. */
export function reviewItems(files: readonly FileReport[]): { needsReview: ReviewItem[]; problems: ReviewItem[]; deferred: number } {
  const needsReview: ReviewItem[] = [];
  const problems: ReviewItem[] = [];
  let deferred = 0;
  for (const f of files) {
    if (f.status === 'failed') problems.push({ file: f.file, line: f.error?.line ?? 0, message: `does not parse: ${f.error?.message ?? 'parse error'}` });
    else if (f.status === 'skipped' && f.reason) problems.push({ file: f.file, line: 0, message: f.reason });
    for (const p of f.problems) {
      if (REVIEW_CODES.has(p.code)) needsReview.push({ file: f.file, line: p.line, message: `[${p.code}] ${p.message}` });
      else if (p.code === 'deferred') deferred += 1;
    }
  }
  return { needsReview, problems, deferred };
}
