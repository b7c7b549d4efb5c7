import { parentPort, workerData } from 'node:worker_threads';
import { SYNTAX_TRANSFORMS } from '../transforms.js';
import type { PhaseContext } from './context.js';
import { processCompact } from './process.js';
import { makeRuntime } from './transform.js';

/** Worker side of the pool: build the runtime once, then process batches of files. */
const { transformName, ctx } = workerData as { transformName: string; ctx: PhaseContext };
const transform = SYNTAX_TRANSFORMS[transformName];
if (!transform) throw new Error(`unknown transform ${transformName}`);
const rt = makeRuntime(ctx);
/** Set by the thread's entry when it has something to stop first (worker-entry.mjs: tsx's esbuild service). */
const SHUTDOWN = Symbol.for('ssot-migrate.worker.shutdown');

parentPort!.on('message', (batch: { close?: true; id: number; files: Array<{ file: string; text: string }> }) => {
  if (batch.close) {
    const hook = (globalThis as Record<symbol, unknown>)[SHUTDOWN];
    void Promise.resolve(typeof hook === 'function' ? (hook as () => Promise<void>)() : undefined)
      .catch(() => {})
      .finally(() => parentPort!.close());
    return;
  }
  // compact: the main thread, which holds each original, splices the new text again (process.ts expandProcessed)
  const results = batch.files.map((f) => processCompact(f.file, f.text, transform, rt));
  parentPort!.postMessage({ id: batch.id, results });
});
parentPort!.postMessage({ ready: true });
