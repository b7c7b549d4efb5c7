/**
 * The lock is created by link() of a complete temp record (lock.ts). A process killed between
 * writing that temp and removing it (SIGKILL at the seam SSOT_MIGRATE_TEST_LOCK_TEMP_PAUSE_MS,
 * between the write and the link) leaves `ssot-migrate.lock.<pid>-<hex>.tmp` in the git dir: the
 * next command that takes the lock (run, rollback, recover) removes it and says so, and the lock
 * logic is not confused by it (the lock is free: taken at once, no "stale" takeover). A temp of a
 * process still running is never removed: that process takes the lock after ours is released.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { acquireRepoLock } from '../../scripts/runner/lock.js';
import { cliSync } from './cli-process.js';
import { git, makeRepo } from './fixture-repo.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const worker = path.join(here, 'lock-temp-worker.mjs');
const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const temps = (gitDir: string) => readdirSync(gitDir).filter((n) => /^ssot-migrate\.lock.*\.tmp$/.test(n));

/** Starts the worker paused between its temp record and the link; resolves once it says so. */
function pausedWorker(repo: string, pauseMs: number): Promise<{ child: ReturnType<typeof spawn>; out: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, repo], { env: { ...process.env, SSOT_MIGRATE_TEST_LOCK_TEMP_PAUSE_MS: String(pauseMs) } });
    let out = '';
    let err = '';
    const done = new Promise<string>((r) => child.on('close', () => r(out)));
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      if (err.includes('ssot-test: lock temp written')) resolve({ child, out: done });
    });
    child.on('close', (code) => reject(new Error(`worker ended (${code}) before pausing: ${err}`)));
  });
}

describe('temp lock records a killed process leaves', () => {
  test('SIGKILL between the temp write and the link: the next lock taker removes the temp, the lock is simply free', async () => {
    const repo = makeRepo({});
    repos.push(repo);
    const gitDir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
    const { child, out } = await pausedWorker(repo, 30_000);
    const left = temps(gitDir);
    expect(left).toEqual([expect.stringMatching(new RegExp(`^ssot-migrate\\.lock\\.${child.pid}-[0-9a-f]{8}\\.tmp$`))]);
    child.kill('SIGKILL');
    await out;
    expect(existsSync(path.join(gitDir, 'ssot-migrate.lock'))).toBe(false);
    const lock = acquireRepoLock(repo, 'test');
    try {
      expect(lock.stale).toBeUndefined(); // no holder to take over: the temp is no lock
      expect(lock.cleaned).toBe(`removed 1 temp lock record(s) a killed process left in ${gitDir}: ${left[0]}`);
      expect(temps(gitDir)).toEqual([]);
    } finally {
      lock.release();
    }
    // the CLI's recover (like run and rollback) does the same, and says it
    const again = await pausedWorker(repo, 30_000);
    again.child.kill('SIGKILL');
    await again.out;
    const rec = cliSync(['recover', '--repo', repo]);
    expect(rec.code, rec.err).toBe(0);
    expect(rec.err).toMatch(/removed 1 temp lock record\(s\) a killed process left in .*: ssot-migrate\.lock\.\d+-[0-9a-f]{8}\.tmp/);
    expect(temps(gitDir)).toEqual([]);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 60_000);

  test('a live process paused between its temp write and the link keeps its temp and gets the lock after ours', async () => {
    const repo = makeRepo({});
    repos.push(repo);
    const gitDir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
    const { child, out } = await pausedWorker(repo, 1500);
    const lock = acquireRepoLock(repo, 'test');
    expect(lock.cleaned).toBeUndefined();
    expect(temps(gitDir)).toHaveLength(1); // still its
    lock.release();
    const said = JSON.parse((await out).trim()) as { held: boolean; stale: string | null; cleaned: string | null };
    expect(said).toEqual({ held: true, stale: null, cleaned: null });
    expect(child.exitCode).toBe(0);
    expect(temps(gitDir)).toEqual([]);
    expect(existsSync(path.join(gitDir, 'ssot-migrate.lock'))).toBe(false);
  }, 60_000);
});
