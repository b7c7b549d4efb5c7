/**
 * One contender of lock-race.test.ts, long-lived so a round costs no process start: for each line
 * `<round>` on stdin it tries acquireRepoLock until it has held the lock once (a refusal naming a
 * live holder: retry after 1 ms), holds it for HOLD_MS, and appends `enter`/`exit` lines to the
 * shared log (O_APPEND: the kernel orders the appends, so the log's order is the real order), then
 * answers `done <round>` on stdout. Run with `node --import tsx`.
 */
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { acquireRepoLock, LockError } from '../../scripts/runner/lock.js';

const [repo, log, id] = process.argv.slice(2) as [string, string, string];
const HOLD_MS = 5;
const ROUND_MS = 10_000;
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const now = () => process.hrtime.bigint().toString();
const line = (round: string, what: string, extra = '') => appendFileSync(log, `${round} ${id} ${process.pid} ${what} ${now()}${extra ? ` ${extra}` : ''}\n`);

function round(r: string): void {
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
