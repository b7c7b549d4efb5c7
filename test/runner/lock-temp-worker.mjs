/**
 * One process of lock-temp.test.ts: takes the repository's lock (with the test's
 * SSOT_MIGRATE_TEST_LOCK_TEMP_PAUSE_MS, stopping between its temp record and the link), prints
 * what it got as one JSON line, releases it and exits. A refusal naming a live holder is retried
 * (for up to 10 s). Plain node on the built
 * lock module (dist/, rebuilt by the tests' global setup when a source is newer: test/helpers/build-dist.ts):
 * through tsx each worker paid ~0.5-1 CPU-s to load the sources.
 */
import { acquireRepoLock, LockError } from '../../dist/scripts/runner/lock.js';

const repo = process.argv[2];
const end = Date.now() + 10_000;
for (;;) {
  try {
    const lock = acquireRepoLock(repo, 'lock-temp worker');
    process.stdout.write(`${JSON.stringify({ held: true, stale: lock.stale ?? null, cleaned: lock.cleaned ?? null })}\n`);
    lock.release();
    break;
  } catch (err) {
    if (!(err instanceof LockError) || Date.now() > end) {
      process.stdout.write(`${JSON.stringify({ held: false, error: err.message })}\n`);
      process.exitCode = 1;
      break;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}
