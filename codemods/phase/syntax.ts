/**
 * A syntax transform (engine/transform.ts) over the snapshot's candidates as a planning step:
 * read, prefilter, parse, splice (in process or on workers), then optionally the type guard,
 * which withdraws, in groups of files whose new errors come from each other, a change that would
 * add a type error.
 */
import { runSyntaxPhase } from '../engine/run.js';
import type { FileReport } from '../engine/types.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';

export interface SyntaxChanges {
  files: FileReport[];
  /** `diff` and `edits` as the thread that transformed the file computed them (engine/diff.ts createDiff). */
  changes: Array<{ file: string; before: string; after: string; diff?: string; edits?: number }>;
  scanned: number;
  parsed: number;
}

export async function planSyntaxTransform(snapshot: RepoSnapshot, transformName: string, opts: { workers?: number; typeGuard?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<SyntaxChanges> {
  const run = await runSyntaxPhase({
    repoDir: snapshot.repo,
    transformName,
    ctx: snapshot.context,
    files: snapshot.candidates,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  let changes = run.files.filter((f) => f.after !== undefined && f.before !== undefined).map((f) => ({ file: f.report.file, before: f.before!, after: f.after!, ...(f.diff !== undefined ? { diff: f.diff } : {}), ...(f.edits !== undefined ? { edits: f.edits } : {}) }));
  const files = run.files.map((f) => f.report);
  if (opts.typeGuard === true) {
    // loaded on use: a run without the guard (--no-type-guard, the bench) does not load it
    const { guardTypes } = await import('../engine/type-guard.js');
    const guard = guardTypes(snapshot, changes);
    changes = guard.kept;
    for (const r of guard.reverted) {
      const rep = files.find((x) => x.file === r.change.file)!;
      rep.status = 'skipped';
      rep.reason = `change withdrawn: it would add a type error (${r.error})`;
    }
  }
  return { files, changes, scanned: run.scanned, parsed: run.parsed };
}
