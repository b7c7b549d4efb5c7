import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SYNTAX_TRANSFORMS } from '../transforms.js';
import type { PhaseContext } from './context.js';
import { POOL_BATCH, WorkerPool } from './pool.js';
import { processAndDiff, type ProcessedFile } from './process.js';
import { makeRuntime } from './transform.js';
import type { FileReport } from './types.js';

/**
 * Files to parse below which worker start-up costs more than it saves. A worker takes ~1.5–2.5 s
 * to return its first batch (tsx, the TypeScript API, a cold JIT) while the main thread, warm
 * from building the context, parses ~0.4–1 ms a file: measured on 2 cores with 1,010 files to
 * parse, in process 2.6 s vs two workers 4.5 s (bench/codemods.ts).
 */
export const WORKER_MIN_FILES = 4000;

export interface SyntaxRunOptions {
  repoDir: string;
  transformName: string;
  ctx: PhaseContext;
  /** Repo-relative candidate files. */
  files: readonly string[];
  /**
   * Worker threads besides the main thread, which takes batches too: 0 = in process; default: 1
   * when there is enough to parse.
   */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SyntaxRunFile extends ProcessedFile {
  before?: string;
}

export interface SyntaxRunResult {
  files: SyntaxRunFile[];
  /** Files read. */
  scanned: number;
  /** Files that passed the text prefilter and were parsed. */
  parsed: number;
  workers: number;
}

/** Workers asked for (SSOT_WORKERS, then the option), or undefined: decided by the count to parse. */
function requestedWorkers(requested: number | undefined): number | undefined {
  const env = process.env['SSOT_WORKERS'];
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return requested;
}

/**
 * Workers beside the main thread (which takes batches too): one per core left, at most three
 * (each holds its own TypeScript, ~80 MiB). On the 2 cores the bench runs on that is one: a
 * second worker costs its own TypeScript load and JIT warm-up and leaves the main thread idle
 * (CPU at 20,000 files, 100% affected: one worker 8.2 s, two 10.4 s; bench/codemods.ts).
 */
const AUTO_WORKERS = Math.min(3, Math.max(1, availableParallelism() - 1));

/**
 * Read every candidate, drop the ones the prefilter rules out (never parsed, reported
 * unchanged), and transform the rest in process or on a worker pool. Writes nothing.
 */
export async function runSyntaxPhase(opts: SyntaxRunOptions): Promise<SyntaxRunResult> {
  const transform = SYNTAX_TRANSFORMS[opts.transformName];
  if (!transform) throw new Error(`unknown syntax transform "${opts.transformName}"`);
  const rt = makeRuntime(opts.ctx);
  const out: SyntaxRunFile[] = [];
  const jobs: Array<{ file: string; text: string }> = [];
  let scanned = 0;
  const requested = requestedWorkers(opts.workers);
  // Decided by the count: started as soon as it is reached, so the threads load while the rest is read.
  let pool: WorkerPool | undefined;
  let processed: ProcessedFile[];
  let workers: number;
  try {
    for (const file of opts.files) {
      let text: string;
      try {
        const buf = readFileSync(join(opts.repoDir, file));
        text = buf.toString('utf8');
        if (text.includes('\uFFFD') && !buf.equals(Buffer.from(text, 'utf8'))) {
          out.push({ report: { file, status: 'skipped', reason: 'not valid UTF-8 (left byte-identical)', problems: [] } });
          continue;
        }
      } catch (err) {
        // listed by git but deleted in the work tree: nothing to transform
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        out.push({ report: { file, status: 'skipped', reason: `unreadable: ${(err as Error).message}`, problems: [] } });
        continue;
      }
      scanned++;
      if (transform.prefilter(text, rt)) {
        jobs.push({ file, text });
        if (requested === undefined && jobs.length === WORKER_MIN_FILES) pool = new WorkerPool(opts.transformName, opts.ctx, AUTO_WORKERS);
      } else out.push({ report: { file, status: 'unchanged', problems: [] } });
    }
    workers = requested ?? (pool ? AUTO_WORKERS : 0);
    const total = jobs.length;
    if (workers > 0 && jobs.length > 0) {
      pool ??= new WorkerPool(opts.transformName, opts.ctx, Math.min(workers, Math.ceil(jobs.length / POOL_BATCH)));
      // the main thread diffs its own files as it goes, as the workers do: a diff from the splices
      // (engine/diff.ts createDiffFromEdits) is cheap, and none is left to do after the workers end
      processed = await pool.run(jobs, (d) => opts.onProgress?.(d, total), (j) => processAndDiff(j.file, j.text, transform, rt));
    } else {
      processed = [];
      for (const j of jobs) {
        processed.push(processAndDiff(j.file, j.text, transform, rt));
        if (processed.length % 100 === 0) opts.onProgress?.(processed.length, total);
      }
    }
  } finally {
    await pool?.close();
  }
  processed.forEach((p, i) => {
    const job = jobs[i]!;
    out.push(p.after !== undefined ? { ...p, before: job.text } : p);
  });
  out.sort((a, b) => (a.report.file < b.report.file ? -1 : a.report.file > b.report.file ? 1 : 0));
  return { files: out, scanned, parsed: jobs.length, workers };
}

export function summarize(reports: readonly FileReport[]): Record<FileReport['status'], number> {
  const s = { changed: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const r of reports) s[r.status]++;
  return s;
}
