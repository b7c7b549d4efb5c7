// The read-ahead thread of engine/read-ahead.ts: claims chunks of the candidate list from the
// counter it shares with the main thread, reads each file (source-text.js) and posts the chunk's
// texts (with `tokens`, only those that pass the prefilter), never more than `window` chunks ahead
// of what the main thread has taken. Plain JS: it starts with no loader and loads nothing but node:fs.
import { join } from 'node:path';
import { workerData } from 'node:worker_threads';
import { readCandidate } from './source-text.js';

const { repoDir, files, tokens, chunk, window, shared, port } = workerData;
/** [0] next chunk to claim, [1] chunks posted, [2] posted chunks the main thread took, [3] stop. */
const s = new Int32Array(shared);
const chunks = Math.ceil(files.length / chunk);
for (;;) {
  if (Atomics.load(s, 3) !== 0) break;
  const taken = Atomics.load(s, 2);
  if (Atomics.load(s, 1) - taken >= window) {
    Atomics.wait(s, 2, taken, 100);
    continue;
  }
  const c = Atomics.add(s, 0, 1);
  if (c >= chunks) break;
  const reads = [];
  for (let i = c * chunk; i < Math.min(files.length, (c + 1) * chunk); i++) reads.push(readCandidate(join(repoDir, files[i]), tokens));
  port.postMessage({ c, reads });
  Atomics.add(s, 1, 1);
  Atomics.notify(s, 1);
}
port.close();
