import { parentPort, workerData } from 'node:worker_threads';
import { SYNTAX_TRANSFORMS } from '../transforms.js';
import type { PhaseContext } from './context.js';
import { processFile } from './process.js';
import { makeRuntime } from './transform.js';

/** Worker side of the pool: build the runtime once, then process batches of files. */
const { transformName, ctx } = workerData as { transformName: string; ctx: PhaseContext };
const transform = SYNTAX_TRANSFORMS[transformName];
if (!transform) throw new Error(`unknown transform ${transformName}`);
const rt = makeRuntime(ctx);
parentPort!.on('message', (batch: { id: number; files: Array<{ file: string; text: string }> }) => {
  const results = batch.files.map((f) => processFile(f.file, f.text, transform, rt));
  parentPort!.postMessage({ id: batch.id, results });
});
parentPort!.postMessage({ ready: true });
