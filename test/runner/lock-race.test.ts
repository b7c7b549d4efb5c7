/**
 * The repository lock under a stampede: ROUNDS times, a stale lock (a dead pid) is planted in a
 * real git repo and WORKERS real node processes (lock-race-worker.mjs, started once) race to take
 * it over; each retries until it has held the lock once, holding it HOLD_MS and appending
 * `enter`/`exit` to a shared log. The log (O_APPEND, so its order is the kernel's order of the
 * appends; the hrtime stamps are checked too) must show no two holders at once, every worker
 * served, and exactly one of them reporting the stale lock. The workers run with lock.ts's test
 * seam SSOT_MIGRATE_TEST_LOCK_PAUSE_MS=20 (a pause right after judging a holder dead), so every
 * round they pile up at the takeover instead of by luck: on the lock.ts before the takeover guard
 * (rename aside, compare, unlink or rename back) this failed in 7 of 8 rounds — a takeover renamed
 * a fresh lock aside while another process created its own, and two or three held the lock at
 * once. Without the seam the old code failed only now and then (two stale reports in a round). */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { acquireRepoLock, LockError } from '../../scripts/runner/index.js';
import { makeRepo } from './fixture-repo.js';

const WORKERS = 6;
// LOCK_RACE_ROUNDS / LOCK_RACE_PAUSE_MS: a longer stress run, or one without the seam (0)
const ROUNDS = Number(process.env.LOCK_RACE_ROUNDS ?? 8);
const PAUSE_MS = process.env.LOCK_RACE_PAUSE_MS ?? '20';
const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock-race-worker.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ssot-lockrace-'));
const log = path.join(tmp, 'log');
let repo = '';
const procs: ChildProcessWithoutNullStreams[] = [];
const waiting = new Map<string, () => void>();

beforeAll(async () => {
  repo = makeRepo({});
  writeFileSync(log, '');
  for (let i = 0; i < WORKERS; i++) {
    const p = spawn(process.execPath, [worker, repo, log, String(i)], { stdio: 'pipe', env: { ...process.env, SSOT_MIGRATE_TEST_LOCK_PAUSE_MS: PAUSE_MS } });
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
  // KEEP_LOG=1: print the enter/exit log (round, worker, pid, what, hrtime ns)
  if (process.env.KEEP_LOG) console.log(readFileSync(log, 'utf8'));
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
    if (existsSync(lockFile)) {
      // a holder's lock put back after it released (the old code could): nobody could take it any more
      problems.push(`round ${r}: a lock was left behind: ${readFileSync(lockFile, 'utf8').trim()}`);
      rmSync(lockFile);
    }
    writeFileSync(lockFile, `${JSON.stringify({ pid: deadPid(), startedAt: new Date().toISOString(), command: 'ssot-migrate run killed', host: os.hostname() })}\n`);
    await round(String(r));
    const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith(`${r} `)).map((l) => l.split(' '));
    // the same check on the clock (hrtime is CLOCK_MONOTONIC, one clock for all processes): each hold starts after the previous one ended
    const spans = lines.filter((l) => l[3] === 'enter').map((l) => [BigInt(l[4]!), BigInt(lines.find((x) => x[1] === l[1] && x[3] === 'exit')?.[4] ?? '0')] as const);
    spans.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (let i = 1; i < spans.length; i++) if (spans[i]![0] < spans[i - 1]![1]) problems.push(`round ${r}: a hold began ${spans[i - 1]![1] - spans[i]![0]} ns before the previous one ended`);
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
  if (existsSync(lockFile)) problems.push(`a lock was left behind: ${readFileSync(lockFile, 'utf8').trim()}`);
  expect(problems).toEqual([]);
}, 60_000 + ROUNDS * 2_000);

const record = (pid: number, command = 'ssot-migrate run killed') => `${JSON.stringify({ pid, startedAt: new Date().toISOString(), command, host: os.hostname() })}\n`;
const ours = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('ssot-migrate.lock'));

test('a takeover guard left by a process killed mid-takeover (three levels deep) is recovered; nothing of the takeover stays behind', () => {
  const gitDir = path.join(repo, '.git');
  const lockFile = path.join(gitDir, 'ssot-migrate.lock');
  writeFileSync(lockFile, record(deadPid()));
  for (const level of ['.takeover', '.takeover.takeover', '.takeover.takeover.takeover']) writeFileSync(lockFile + level, record(deadPid(), 'ssot-migrate lock takeover'));
  const lock = acquireRepoLock(repo, 'ssot-migrate run toy-rewrite');
  expect(lock.stale).toMatch(/^found a stale lock \(pid \d+, started [^,]+, `ssot-migrate run killed`; that process is no longer running\) and took it over$/);
  expect(ours(gitDir)).toEqual(['ssot-migrate.lock']);
  expect(() => acquireRepoLock(repo, 'ssot-migrate rollback')).toThrow(/this process already holds the lock/);
  lock.release();
  expect(ours(gitDir)).toEqual([]);
});

test('guards dead four levels deep: refused naming the guards, the dead lock left as it was', () => {
  const gitDir = path.join(repo, '.git');
  const lockFile = path.join(gitDir, 'ssot-migrate.lock');
  const dead = record(deadPid());
  writeFileSync(lockFile, dead);
  const levels = ['.takeover', '.takeover.takeover', '.takeover.takeover.takeover', '.takeover.takeover.takeover.takeover'];
  for (const level of levels) writeFileSync(lockFile + level, record(deadPid(), 'ssot-migrate lock takeover'));
  expect(() => acquireRepoLock(repo, 'ssot-migrate run toy-rewrite')).toThrow(LockError);
  expect(() => acquireRepoLock(repo, 'ssot-migrate run toy-rewrite')).toThrow(/takeover guards .* are held by dead processes; remove them by hand/);
  expect(readFileSync(lockFile, 'utf8')).toBe(dead);
  for (const level of levels) rmSync(lockFile + level);
  const lock = acquireRepoLock(repo, 'ssot-migrate run toy-rewrite');
  expect(lock.stale).toMatch(/found a stale lock/);
  lock.release();
  expect(ours(gitDir)).toEqual([]);
});

test('a live holder is refused by name; an unreadable lock is removed and reported', () => {
  const gitDir = path.join(repo, '.git');
  const lockFile = path.join(gitDir, 'ssot-migrate.lock');
  writeFileSync(lockFile, record(procs[0]!.pid!, 'ssot-migrate run other'));
  expect(() => acquireRepoLock(repo, 'ssot-migrate run toy-rewrite')).toThrow(/another ssot-migrate operation holds the lock on this repository \(pid \d+, started [^,]+, `ssot-migrate run other`\); wait for it to finish\. Lock file: /);
  expect(ours(gitDir)).toEqual(['ssot-migrate.lock']);
  writeFileSync(lockFile, '{"pi');
  const lock = acquireRepoLock(repo, 'ssot-migrate run toy-rewrite');
  expect(lock.stale).toBe(`removed an unreadable lock file ${lockFile}`);
  lock.release();
  expect(ours(gitDir)).toEqual([]);
});
