// The diff thread of engine/diff-thread.ts: takes batches of changed files (name, original text,
// splices), builds each one's unified diff from its splices (diff-edits.js, as processCompact
// would on the main thread), writes the original and the diff to the spill file the main thread
// opened (appended from offset 0, one write per batch) and answers each batch with where its
// texts are. Plain JS: it starts with no loader and loads node:fs, jsdiff and two plain modules.
import { writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { createDiffFromEdits } from './diff-edits.js';
import { applyEdits } from './edits.js';

const { fd, port, shared } = workerData;
/** [0] batches answered, [1] 1 once started. */
const s = new Int32Array(shared);
/** Bytes written to the spill file so far. */
let written = 0;
/** Set when a write failed (a full temp folder): every later text is answered as itself. */
let failed = false;
let buf = Buffer.allocUnsafeSlow(256 * 1024);
Atomics.store(s, 1, 1);

port.on('message', (m) => {
  if (m.close) {
    port.close();
    return;
  }
  const { id, files, texts, nums, splices } = m;
  // per file: before's [pos, bytes], the diff's [pos, bytes], its changed regions; pos -1: the text is in `held` as itself
  const out = new Array(files.length * 5);
  const held = [];
  let used = 0;
  const put = (text, k) => {
    // a lone surrogate would come back from UTF-8 as U+FFFD: such a text is answered as itself (as SpillFile.put keeps it in memory)
    if (failed || !text.isWellFormed()) {
      out[k] = -1;
      out[k + 1] = held.push(text) - 1;
      return;
    }
    if (used + text.length * 3 > buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(buf.length * 2, used + text.length * 3));
      buf.copy(bigger, 0, 0, used);
      buf = bigger;
    }
    const bytes = buf.write(text, used, 'utf8');
    out[k] = written + used;
    out[k + 1] = bytes;
    used += bytes;
  };
  const diffs = new Array(files.length);
  let at = 0;
  let t = 0;
  for (let f = 0; f < files.length; f++) {
    const text = texts[f];
    const n = nums[at++];
    const edits = [];
    for (let e = 0; e < n; e++) edits.push({ start: nums[at++], end: nums[at++], text: splices[t++] });
    const { diff, edits: regions } = createDiffFromEdits(files[f], text, applyEdits(text, edits), edits);
    diffs[f] = diff;
    put(text, f * 5);
    put(diff, f * 5 + 2);
    out[f * 5 + 4] = regions;
  }
  if (used > 0) {
    try {
      let done = 0;
      while (done < used) done += writeSync(fd, buf, done, used - done, written + done);
      written += used;
    } catch {
      // what this batch put in the file is answered as itself, and so is everything after
      failed = true;
      for (let f = 0; f < files.length; f++) {
        if (out[f * 5] !== -1) {
          out[f * 5] = -1;
          out[f * 5 + 1] = held.push(texts[f]) - 1;
        }
        if (out[f * 5 + 2] !== -1) {
          out[f * 5 + 2] = -1;
          out[f * 5 + 3] = held.push(diffs[f]) - 1;
        }
      }
    }
  }
  port.postMessage({ id, out, held });
  Atomics.add(s, 0, 1);
  Atomics.notify(s, 0);
});
