/**
 * The syntax/type phases (discover, consolidate-types, rewrite-imports) as runner planners:
 * the transform runs as a dry run and its changes become the plan's writes, so the phase
 * runner alone touches the tree.
 */
import { structuredPatch } from 'diff';
import type { PhasePlan, PhasePlanner, ReviewItem } from '../scripts/runner/plan.js';
import { inventoryMarkdown } from './discover/inventory.js';
import { runTransform, type TransformPhase, type TransformReport } from './run.js';

/** Problem codes a reviewer must look at; "deferred" ones are left for a later phase on purpose. */
const REVIEW_CODES = new Set(['needs-review', 'kind-mismatch', 'missing-export', 'unmapped-name', 'incompatible', 'no-canonical']);

/** Edits = changed regions (diff hunks without context), the same measure for every phase. */
export function countEdits(before: string, after: string): number {
  return structuredPatch('a', 'b', before, after, '', '', { context: 0 }).hunks.length;
}

function reviewItems(r: TransformReport): { needsReview: ReviewItem[]; problems: ReviewItem[]; deferred: number } {
  const needsReview: ReviewItem[] = [];
  const problems: ReviewItem[] = [];
  let deferred = 0;
  for (const f of r.files) {
    if (f.status === 'failed') problems.push({ file: f.file, line: f.error?.line ?? 0, message: `does not parse: ${f.error?.message ?? 'parse error'}` });
    else if (f.status === 'skipped' && f.reason) problems.push({ file: f.file, line: 0, message: f.reason });
    for (const p of f.problems) {
      if (REVIEW_CODES.has(p.code)) needsReview.push({ file: f.file, line: p.line, message: `[${p.code}] ${p.message}` });
      else if (p.code === 'deferred') deferred += 1;
    }
  }
  return { needsReview, problems, deferred };
}

export function transformPlanner(phase: TransformPhase): PhasePlanner {
  return async (repo): Promise<PhasePlan> => {
    // rewrite-imports withdraws, file by file, a rewrite that would add a type error (e.g. a
    // legacy value whose canonical name is only a type) instead of failing the whole phase.
    const r = await runTransform(phase, repo, { dryRun: true, typeGuard: phase === 'rewrite-imports' });
    const { needsReview, problems, deferred } = reviewItems(r);
    if (phase === 'discover') {
      const inv = r.inventory!;
      return {
        phase,
        writes: [
          { path: '.ssot/inventory.json', content: `${JSON.stringify(inv, null, 2)}\n` },
          { path: '.ssot/inventory.md', content: inventoryMarkdown(inv) },
        ],
        edits: 0,
        summary: `inventory: ${inv.importSites.length} import site(s), ${inv.declarations.filter((d) => d.duplicateOf).length} duplicate declaration(s), ${inv.dangling.length} dangling, compliance ${inv.compliance.percent.toFixed(1)}%`,
        needsReview: inv.dangling.map((d) => ({ file: d.file, line: d.line, message: `dangling import: ${d.name ?? '(module)'} is not exported by ${d.specifier}` })),
        problems,
      };
    }
    const edits = r.changes.reduce((n, c) => n + countEdits(c.before, c.after), 0);
    const what = phase === 'rewrite-imports' ? 'import site(s) rewritten' : 'duplicate type edit(s)';
    return {
      phase,
      writes: r.changes.map((c) => ({ path: c.file, content: c.after })),
      edits,
      summary: `${edits} ${what} in ${r.changes.length} file(s)${deferred ? `, ${deferred} left for remove-adapters` : ''}${problems.length ? `, ${problems.length} file(s) left untouched` : ''}`,
      needsReview,
      problems,
    };
  };
}
