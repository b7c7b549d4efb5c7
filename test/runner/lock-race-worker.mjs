/**
 * One contender of lock-race.test.ts, long-lived so a round costs no process start: for each line
 * `<round>` on stdin it tries acquireRepoLock until it has held the lock once (a refusal naming a
 * live holder: retry after 1 ms), holds it for HOLD_MS, and appends `enter`/`exit` lines to the
 * shared log (O_APPEND: the kernel orders the appends, so the log's order is the real order), then
 * answers `done <round>` on stdout. Plain node on the built
 * lock module (dist/, rebuilt by the tests' global setup when a source is newer: test/helpers/build-dist.ts):
 * through tsx each worker paid ~0.5-1 CPU-s to load the sources.
 */
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { acquireRepoLock, LockError } from '../../dist/scripts/runner/lock.js';

const [repo, log, id] = process.argv.slice(2);
const HOLD_MS = 5;
const ROUND_MS = 10_000;
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const now = () => process.hrtime.bigint().toString();
const line = (round, what, extra = '') => appendFileSync(log, `${round} ${id} ${process.pid} ${what} ${now()}${extra ? ` ${extra}` : ''}\n`);

function round(r) {
  const end = Date.now() + ROUND_MS;
  while (Date.now() < end) {
    let lock;
    try {
      lock = acquireRepoLock(repo, `lock-race worker ${id}`);
    } catch (err) {
      if (!(err instanceof LockError)) throw err;
      if (!/holds the lock/.test(err.message)) line(r, 'error', JSON.stringify(err.message));
      sleep(1);
      continue;
    }
    line(r, 'enter', lock.stale ? 'stale' : '');
    sleep(HOLD_MS);
    line(r, 'exit');
    lock.release();
    return;
  }
  line(r, 'timeout');
}

createInterface({ input: process.stdin }).on('line', (r) => {
  round(r.trim());
  process.stdout.write(`done ${r.trim()}\n`);
});
