import { Worker } from 'node:worker_threads';
import type { PhaseContext } from './context.js';
import { expandProcessed, type CompactProcessedFile, type ExpandedFile } from './process.js';

export interface PoolJob {
  file: string;
  text: string;
}

/** Files per message to a worker. */
export const POOL_BATCH = 50;

/**
 * Batches a worker holds at a time: one to work on and two ahead. The main thread sends the next
 * one only between its own batches (which also read the files for everyone), so with one ahead
 * a worker ran dry in the middle of a run: --cpu-prof of the worker on the 100% tree, ~0.46 s
 * idle of 13.1 s, most of it between 6 and 12 s, up to ~10% of a second.
 */
export const POOL_AHEAD = 3;

/**
 * A worker's young generation (V8's default grows to 48 MiB, two 16 MiB semi-spaces committed):
 * a worker holds one file's tree at a time, so a third of it only costs it a few more
 * scavenges. Measured on the bench's 100% tree (20,000 files, load 14-18): peak RSS 299-300 MiB
 * uncapped, 279-284 at 24 MiB, 282-284 at 16, 279-280 at 8; the worker's GC share ~4% of its CPU
 * uncapped, ~6% at 16 and 24 (profiles). An 8 MiB cap was measured before at +0.4 s CPU.
 */
export const WORKER_YOUNG_MB = 24;

/**
 * The worker's module: the compiled worker.js next to this file in the package (plain node, no
 * loader); from the TypeScript sources (the repository checkout, under tsx or vitest) a plain-JS
 * entry that registers tsx in the worker thread first.
 */
export function workerEntry(self: string = import.meta.url): URL {
  return /\.[cm]?ts$/.test(self) ? new URL('./worker-entry.mjs', self) : new URL('./worker.js', self);
}

/**
 * Worker threads for one transform, started when constructed: a worker takes ~1 s of CPU to load
 * (tsx, the TypeScript API) before its first batch, so a caller that knows early that it will
 * need the pool starts it while it still reads files (engine/run.ts). `run` hands batches to
 * whichever worker is free (files differ in cost); `close` ends every thread, on success and on
 * error alike (closeWorker).
 */
export class WorkerPool {
  private readonly threads: Array<{ worker: Worker; ready: Promise<void>; failed: Promise<never> }>;

  constructor(transformName: string, ctx: PhaseContext, size: number) {
    const entry = workerEntry();
    this.threads = Array.from({ length: Math.max(1, size) }, () => {
      const worker = new Worker(entry, { workerData: { transformName, ctx }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
      const ready = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      const failed = new Promise<never>((_, reject) => {
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`codemod worker exited with code ${code}`));
        });
      });
      failed.catch(() => {}); // observed by run(); a pool closed unused must not report it unhandled
      return { worker, ready, failed };
    });
  }

  get size(): number {
    return this.threads.length;
  }

  /**
   * Every job `next` yields through the pool, pulled a batch at a time as a thread needs one, so
   * the caller reads files as they are parsed (engine/run.ts) instead of holding every text
   * first, and a worker starts on its first batch as soon as it is ready. With `local`, the
   * calling thread takes batches too, between which it yields to the event loop so the workers'
   * results are taken in and each is sent its next batch (each worker is kept POOL_AHEAD batches
   * ahead, so it does not wait on the main thread's batch): the main thread, warm from building the
   * context, is otherwise idle while the workers parse, and one worker less is one TypeScript
   * load and JIT warm-up less. Results come in the order `next` yielded the jobs, each
   * expanded against its job's text by `expand` (by default process.ts expandProcessed, which
   * keeps the text; engine/run.ts spills it on a large run).
   */
  async run(
    next: () => PoolJob | undefined,
    onProgress?: (done: number) => void,
    local?: (job: PoolJob) => CompactProcessedFile,
    expand: (r: CompactProcessedFile, text: string) => ExpandedFile = expandProcessed,
  ): Promise<ExpandedFile[]> {
    const results: ExpandedFile[] = [];
    let batches = 0;
    let queued = 0;
    let exhausted = false;
    const take = (): { id: number; start: number; files: PoolJob[] } | undefined => {
      const files: PoolJob[] = [];
      while (!exhausted && files.length < POOL_BATCH) {
        const job = next();
        if (job === undefined) exhausted = true;
        else files.push(job);
      }
      if (files.length === 0) return undefined;
      const b = { id: batches++, start: queued, files };
      queued += files.length;
      return b;
    };
    const pending = new Map<number, { start: number; files: PoolJob[] }>();
    let done = 0;
    const finished = (b: { start: number; files: PoolJob[] }, out: readonly CompactProcessedFile[]): void => {
      out.forEach((r, i) => (results[b.start + i] = expand(r, b.files[i]!.text)));
      done += b.files.length;
      onProgress?.(done);
    };
    const onWorkers = Promise.all(
      this.threads.map(({ worker, ready, failed }) =>
        Promise.race([
          failed,
          ready.then(
            () =>
              new Promise<void>((resolve) => {
                let inFlight = 0;
                const send = (): void => {
                  const b = take();
                  if (!b) {
                    if (inFlight === 0) {
                      worker.off('message', onMessage);
                      resolve();
                    }
                    return;
                  }
                  inFlight++;
                  pending.set(b.id, b);
                  worker.postMessage({ id: b.id, files: b.files });
                };
                const onMessage = (msg: { id: number; results: CompactProcessedFile[] }): void => {
                  const b = pending.get(msg.id)!;
                  pending.delete(msg.id);
                  finished(b, msg.results);
                  inFlight--;
                  send();
                };
                worker.on('message', onMessage);
                for (let i = 0; i < POOL_AHEAD; i++) send();
              }),
          ),
        ]),
      ),
    );
    if (local) {
      let failure: unknown;
      onWorkers.catch((err: unknown) => (failure ??= err ?? new Error('codemod worker failed')));
      while (failure === undefined) {
        const b = take();
        if (!b) break;
        finished(b, b.files.map(local));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    await onWorkers;
    return results;
  }

  close(): Promise<void> {
    return Promise.all(this.threads.map((t) => closeWorker(t.worker))).then(() => undefined);
  }
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
