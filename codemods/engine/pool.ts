import { Worker } from 'node:worker_threads';
import type { PhaseContext } from './context.js';
import type { ProcessedFile } from './process.js';

export interface PoolJob {
  file: string;
  text: string;
}

const BATCH = 50;

/**
 * The worker's module: the compiled worker.js next to this file in the package (plain node, no
 * loader); from the TypeScript sources (the repository checkout, under tsx or vitest) a plain-JS
 * entry that registers tsx in the worker thread first.
 */
export function workerEntry(self: string = import.meta.url): URL {
  return /\.[cm]?ts$/.test(self) ? new URL('./worker-entry.mjs', self) : new URL('./worker.js', self);
}

/**
 * Run files through a transform on worker threads. Batches are handed to whichever worker is
 * free (files differ in cost). Workers are started per run and closed at the end, on success and
 * on error alike (closeWorker).
 */
export async function runInPool(
  transformName: string,
  ctx: PhaseContext,
  jobs: PoolJob[],
  workers: number,
  onProgress?: (done: number) => void,
): Promise<ProcessedFile[]> {
  const results: ProcessedFile[] = new Array(jobs.length);
  const batches: Array<{ id: number; start: number; files: PoolJob[] }> = [];
  for (let i = 0; i < jobs.length; i += BATCH) batches.push({ id: batches.length, start: i, files: jobs.slice(i, i + BATCH) });
  const entry = workerEntry();
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: Math.max(1, Math.min(workers, batches.length)) }, () => new Worker(entry, { workerData: { transformName, ctx } }));
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              const b = batches[next++];
              if (!b) {
                resolve();
                return;
              }
              w.postMessage({ id: b.id, files: b.files });
            };
            w.on('message', (msg: { ready?: boolean; id?: number; results?: ProcessedFile[] }) => {
              if (msg.ready) return send();
              const b = batches[msg.id!]!;
              msg.results!.forEach((r, i) => (results[b.start + i] = r));
              done += b.files.length;
              onProgress?.(done);
              send();
            });
            w.on('error', reject);
            w.on('exit', (code) => {
              if (code !== 0) reject(new Error(`codemod worker exited with code ${code}`));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map(closeWorker));
  }
  return results;
}

/** How long a worker may take to end by itself before it is terminated. */
const CLOSE_MS = 3000;

/**
 * Asks the worker to end (it runs its shutdown hook: under tsx, stopping the esbuild service that
 * thread started and collecting its exit, so no process is left behind — a terminated thread
 * leaves its child processes as zombies of the CLI), then terminates it if it has not ended.
 */
async function closeWorker(w: Worker): Promise<void> {
  if (w.threadId === -1) return; // already exited
  const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
  try {
    w.postMessage({ close: true });
  } catch {
    // the port is closed: the thread is ending
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), CLOSE_MS)));
  if ((await Promise.race([exited, late])) === 'late') await w.terminate();
  clearTimeout(timer);
}
