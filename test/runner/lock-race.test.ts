/**
 * The repository lock under a stampede: ROUNDS times, a stale lock (a dead pid) is planted in a
 * real git repo and WORKERS real node processes (lock-race-worker.ts, started once) race to take
 * it over; each retries until it has held the lock once, holding it HOLD_MS and appending
 * `enter`/`exit` to a shared log. The log (O_APPEND, so its order is the kernel's order of the
 * appends) must show no two holders at once, every worker served, and exactly one of them
 * reporting the stale lock. Before the takeover guard (lock.ts), a takeover could rename a fresh
 * lock aside while a third process created its own, and two processes held the lock together.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeRepo } from './fixture-repo.js';

const WORKERS = 6;
const ROUNDS = 8;
const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock-race-worker.ts');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ssot-lockrace-'));
const log = path.join(tmp, 'log');
let repo = '';
const procs: ChildProcessWithoutNullStreams[] = [];
const waiting = new Map<string, () => void>();

beforeAll(async () => {
  repo = makeRepo({});
  writeFileSync(log, '');
  for (let i = 0; i < WORKERS; i++) {
    const p = spawn(process.execPath, ['--import', 'tsx', worker, repo, log, String(i)], { stdio: 'pipe', env: { ...process.env, SSOT_MIGRATE_TEST_LOCK_PAUSE_MS: '20' } });
    let err = '';
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('exit', (code) => {
      if (code) for (const w of waiting.values()) w();
      if (code) console.error(`worker ${i} exited ${code}: ${err}`);
    });
    createInterface({ input: p.stdout }).on('line', (l) => waiting.get(`${i} ${l}`)?.());
    procs.push(p);
  }
  // every worker has loaded the lock module: a warm-up round with no lock planted
  await round('warm');
}, 60_000);

afterAll(() => {
  for (const p of procs) p.kill();
  rmSync(tmp, { recursive: true, force: true });
  if (repo) rmSync(repo, { recursive: true, force: true });
});

function round(r: string): Promise<void> {
  const done = procs.map((_, i) => new Promise<void>((resolve) => waiting.set(`${i} done ${r}`, resolve)));
  for (const p of procs) p.stdin.write(`${r}\n`);
  return Promise.all(done).then(() => undefined);
}

/** A pid that is no longer running: a node that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

test(`${WORKERS} processes taking over a stale lock ${ROUNDS} times: one holder at a time, all served, one stale report`, async () => {
  const lockFile = path.join(repo, '.git', 'ssot-migrate.lock');
  const problems: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    expect(existsSync(lockFile)).toBe(false);
    writeFileSync(lockFile, `${JSON.stringify({ pid: deadPid(), startedAt: new Date().toISOString(), command: 'ssot-migrate run killed', host: os.hostname() })}\n`);
    await round(String(r));
    const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith(`${r} `)).map((l) => l.split(' '));
    const holders = new Set<string>();
    let stale = 0;
    const entered = new Set<string>();
    for (const [, id, , what, , extra] of lines) {
      if (what === 'enter') {
        if (holders.size) problems.push(`round ${r}: worker ${id} entered while ${[...holders].join(', ')} held the lock`);
        holders.add(id!);
        entered.add(id!);
        if (extra === 'stale') stale++;
      } else if (what === 'exit') holders.delete(id!);
      else if (what === 'timeout') problems.push(`round ${r}: worker ${id} never got the lock`);
    }
    if (entered.size !== WORKERS) problems.push(`round ${r}: ${entered.size} of ${WORKERS} workers got the lock`);
    if (stale !== 1) problems.push(`round ${r}: ${stale} workers reported taking over the stale lock`);
  }
  expect(problems).toEqual([]);
  expect(existsSync(lockFile)).toBe(false);
}, 60_000);
