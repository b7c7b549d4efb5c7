import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInventory, inventoryMarkdown, type Inventory } from './discover/inventory.js';
import type { DiscoverFileData } from './discover/scan.js';
import { buildPhaseContext } from './engine/context.js';
import { unifiedDiff } from './engine/diff.js';
import { listCandidateFiles, listRepoFiles } from './engine/files.js';
import { loadRepoManifest } from './engine/manifest.js';
import { makeProgress } from './engine/progress.js';
import { runSyntaxPhase, summarize } from './engine/run.js';
import type { FileReport } from './engine/types.js';
import { guardTypes } from './engine/type-guard.js';
import { writeFileAtomic } from './engine/write.js';

/** The phases this module can run. */
export const TRANSFORM_PHASES = ['discover', 'consolidate-types', 'rewrite-imports'] as const;
export type TransformPhase = (typeof TRANSFORM_PHASES)[number];

export function isTransformPhase(p: string): p is TransformPhase {
  return (TRANSFORM_PHASES as readonly string[]).includes(p);
}

export interface TransformOptions {
  /** Compute and report, write nothing (discover then also skips .ssot/). */
  dryRun?: boolean;
  /** Worker threads for syntax phases (default: 2 when there is enough work, else 0). */
  workers?: number;
  /** Show a progress bar on a TTY. */
  progress?: boolean;
  /**
   * Type-check the changed repo in memory (its tsconfig) and withdraw every file change that
   * adds a type error (reported as skipped with the error). Costs one program per round.
   */
  typeGuard?: boolean;
}

export interface TransformReport {
  phase: TransformPhase;
  repoDir: string;
  dryRun: boolean;
  /** Every candidate file with its status (unaffected files are "unchanged"). */
  files: FileReport[];
  summary: { changed: number; unchanged: number; skipped: number; failed: number; scanned: number; parsed: number; problems: number };
  /** Unified diff of every change (what was written, or would be on a dry run). */
  diff: string;
  /** Every change in full, so a caller (the phase runner) can apply it itself. */
  changes: Array<{ file: string; before: string; after: string }>;
  /** discover only. */
  inventory?: Inventory;
}

/**
 * Transform a repo for one phase and report. Applies the change to the work tree unless
 * dryRun (no commit: committing and verification belong to the phase runner). A file that
 * does not parse is reported failed and left byte-identical.
 */
export async function runTransform(phase: TransformPhase, repoDir: string, opts: TransformOptions = {}): Promise<TransformReport> {
  const dryRun = opts.dryRun === true;
  const manifest = await loadRepoManifest(repoDir);
  const repoFiles = listRepoFiles(repoDir);
  const ctx = buildPhaseContext(repoDir, manifest, repoFiles);
  const candidates = listCandidateFiles(repoDir, manifest.exclude, repoFiles);

  if (phase === 'consolidate-types') {
    // ts-morph is heavy to load; only the type-aware phase pays for it
    const { consolidateTypes } = await import('./consolidate-types/index.js');
    const r = await consolidateTypes(repoDir, manifest, ctx, candidates);
    return finish(phase, repoDir, dryRun, r.files, r.changes, candidates.length, r.parsed);
  }

  const progress = makeProgress(phase, opts.progress === true);
  const run = await runSyntaxPhase({
    repoDir,
    transformName: phase,
    ctx,
    files: candidates,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    onProgress: (d, t) => progress.update(d, t),
  });
  progress.end();
  let changes = run.files.filter((f) => f.after !== undefined && f.before !== undefined).map((f) => ({ file: f.report.file, before: f.before!, after: f.after! }));
  const reports = run.files.map((f) => f.report);
  if (opts.typeGuard === true && phase !== 'discover') {
    const guard = guardTypes(repoDir, manifest.tsconfig, changes);
    changes = guard.kept;
    for (const r of guard.reverted) {
      const rep = reports.find((x) => x.file === r.change.file)!;
      rep.status = 'skipped';
      rep.reason = `change withdrawn: it would add a type error (${r.error})`;
    }
  }
  const report = finish(phase, repoDir, dryRun, reports, changes, run.scanned, run.parsed);
  if (phase === 'discover') {
    const inventory = buildInventory(ctx, run.files as Array<{ report: FileReport; data?: DiscoverFileData }>, run.scanned, run.parsed);
    report.inventory = inventory;
    if (!dryRun) {
      mkdirSync(join(repoDir, '.ssot'), { recursive: true });
      writeFileSync(join(repoDir, '.ssot', 'inventory.json'), JSON.stringify(inventory, null, 2) + '\n');
      writeFileSync(join(repoDir, '.ssot', 'inventory.md'), inventoryMarkdown(inventory));
    }
  }
  return report;
}

function finish(
  phase: TransformPhase,
  repoDir: string,
  dryRun: boolean,
  files: FileReport[],
  changes: Array<{ file: string; before: string; after: string }>,
  scanned: number,
  parsed: number,
): TransformReport {
  if (!dryRun) for (const c of changes) writeFileAtomic(repoDir, c.file, c.after);
  const s = summarize(files);
  return {
    phase,
    repoDir,
    dryRun,
    files,
    summary: { ...s, scanned, parsed, problems: files.reduce((n, f) => n + f.problems.length, 0) },
    diff: changes.map((c) => unifiedDiff(c.file, c.before, c.after)).join(''),
    changes,
  };
}
