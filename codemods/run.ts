/**
 * One phase applied to a repo without the runner: plan against a snapshot, report per file,
 * and (unless dryRun) write the plan's files atomically. No commit, no verification: those
 * belong to the phase runner (scripts/runner).
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { unifiedDiff } from './engine/diff.js';
import { makeProgress } from './engine/progress.js';
import { BlockWriter } from './engine/block-writer.js';
import { isSpilled, spilledBytes, spilledView } from './engine/spill.js';
import { summarize } from './engine/run.js';
import type { FileReport } from './engine/types.js';
import { writeFileAtomic } from './engine/write.js';
import { resolvePhaseOptions } from './phase/options.js';
import { builtinPhase } from './phase/registry.js';
import type { PhasePlan, PhaseOptionValues } from './phase/types.js';
import { RepoSnapshot } from './snapshot/snapshot.js';

export interface TransformOptions {
  /** Compute and report, write nothing. */
  dryRun?: boolean;
  /** The phase's declared options (e.g. rewrite-imports: { workers: 2, typeGuard: false }). */
  options?: PhaseOptionValues;
  /** Show a progress bar on a TTY. */
  progress?: boolean;
  /** Plan against this snapshot instead of opening one. */
  snapshot?: RepoSnapshot;
}

export interface TransformReport {
  phase: string;
  repoDir: string;
  dryRun: boolean;
  plan: PhasePlan;
  /** Every candidate file with its status, for phases that report per file. */
  files: FileReport[];
  summary: { changed: number; unchanged: number; skipped: number; failed: number; scanned: number; parsed: number; problems: number };
  /** Unified diff of every change (what was written, or would be on a dry run); computed on first read. */
  readonly diff: string;
  /**
   * Writes `diff`'s UTF-8 bytes to `fd` (e.g. 1, stdout) file by file, never as one string: a
   * large run's spilled diffs are copied as the bytes they are stored as (engine/spill.ts). Returns
   * the bytes written.
   */
  writeDiff(fd: number): number;
  changes: Array<{ file: string; before: string; after: string; diff?: string }>;
  snapshot: RepoSnapshot;
}

/** Which field of a spilled write each change's text field reads (one object for every change). */
const CHANGE_OF_WRITE = { before: 'before', after: 'content', diff: 'diff' } as const;

export async function runTransform(phase: string, repoDir: string, opts: TransformOptions = {}): Promise<TransformReport> {
  const progress = makeProgress(phase, opts.progress === true);
  const gitPrefilter = builtinPhase(phase)?.gitPrefilter === true;
  const snapshot = opts.snapshot ?? (await RepoSnapshot.open(repoDir, { onProgress: (d, t) => progress.update(d, t), ...(gitPrefilter ? { gitPrefilter } : {}) }));
  const entry = snapshot.phases.get(phase);
  if (!entry) throw new Error(`unknown phase "${phase}"; phases are ${snapshot.phases.all.map((e) => e.phase.name).join(', ')}`);
  const plan = await entry.phase.plan(snapshot, resolvePhaseOptions(entry.phase, opts.options));
  progress.end();
  if (plan.refusal) throw new Error(`${phase}: ${plan.refusal}`);
  const dryRun = opts.dryRun === true;
  const changes = plan.writes.map((w) =>
    // a spilled write's texts stay in their file until read (engine/spill.ts); it has a before, a string content and its diff
    isSpilled(w)
      ? (spilledView(w, CHANGE_OF_WRITE, { file: w.path }) as TransformReport['changes'][number])
      : {
          file: w.path,
          before: w.before ?? snapshot.read(w.path) ?? '',
          after: w.content === null ? '' : typeof w.content === 'string' ? w.content : Buffer.from(w.content).toString('utf8'),
          // a diff the phase computed alongside is of exactly these texts (it planned against `before`)
          ...(w.diff !== undefined && w.before !== undefined && typeof w.content === 'string' ? { diff: w.diff } : {}),
        },
  );
  if (!dryRun)
    for (const w of plan.writes) {
      if (w.content === null) unlinkSync(join(snapshot.repo, w.path));
      else writeFileAtomic(snapshot.repo, w.path, w.content);
    }
  const files = plan.files ?? [];
  let diff: string | undefined;
  return {
    phase,
    repoDir: snapshot.repo,
    dryRun,
    plan,
    files,
    summary: { ...summarize(files), scanned: plan.scanned ?? 0, parsed: plan.parsed ?? 0, problems: files.reduce((n, f) => n + f.problems.length, 0) },
    get diff() {
      return (diff ??= changes.map((c) => c.diff ?? unifiedDiff(c.file, c.before, c.after)).join(''));
    },
    writeDiff(fd: number): number {
      const out = new BlockWriter(fd);
      // already joined (read before): written as it is
      if (diff !== undefined) out.write(diff);
      else for (const c of changes) out.write(spilledBytes(c, 'diff') ?? unifiedDiff(c.file, c.before, c.after));
      return out.end();
    },
    changes,
    snapshot,
  };
}
