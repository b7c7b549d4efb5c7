// Run as a child: a worker thread makes legacy calls; the main thread then terminates it (which
// runs no JavaScript in the worker) and exits.
//   argv[2]: "collector" — the main thread loads the shim too (its runtime collects worker posts)
//            "alone"     — the main thread never loads the shim; the worker ends on its own
//            "metrics"   — as "collector", then the main thread prints its Prometheus text
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const CALLS = 3;
if (isMainThread) {
  const mode = process.argv[2] ?? 'collector';
  if (mode !== 'alone') await import('./legacy.mjs');
  const worker = new Worker(new URL(import.meta.url), { workerData: mode });
  worker.on('message', (m) => {
    if (m !== 'done') return;
    if (mode !== 'alone') {
      // Give the handshake and the post a moment, as any app's shutdown would, then stop hard.
      setTimeout(
        () =>
          void worker.terminate().then(async () => {
            if (mode === 'metrics') {
              const { getShimRuntime } = await import('../../../../dist/shim/index.js');
              process.stdout.write(await getShimRuntime().telemetry.metrics());
            }
            process.exit(0);
          }),
        300,
      );
    }
  });
  worker.on('exit', () => process.stdout.write('worker gone\n'));
} else {
  const { legacyCall } = await import('./legacy.mjs');
  for (let i = 0; i < CALLS; i++) legacyCall(i); // WORKER_SITE
  parentPort.postMessage('done');
  if (workerData !== 'alone') setInterval(() => {}, 1000); // busy until terminated
}
