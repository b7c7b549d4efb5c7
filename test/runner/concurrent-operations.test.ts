/**
 * Two operations run in one process at once (the runner's API on two repos): each releases its own
 * lock and keeps its own steps. With one shared record of "the active operation", the second's begin
 * replaced the first's, the first's end released the second's lock, and the first's lock file stayed,
 * held by this (live) process: every later run on that repo was refused at the lock.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { makeRepo, MIXED } from './fixture-repo.js';

const lockOf = (repo: string) => path.join(repo, '.git', 'ssot-migrate.lock');

describe('operations run at once in one process', () => {
  const repos = [makeRepo(MIXED), makeRepo(MIXED), makeRepo(MIXED)];
  afterAll(() => {
    for (const r of repos) rmSync(r, { recursive: true, force: true });
  });

  test('each releases its own lock, and the next run on each repo is not refused', async () => {
    const logs = repos.map(() => [] as string[]);
    const first = await Promise.all(repos.map((r, i) => runPhase(r, 'discover', { log: (l) => logs[i]!.push(l) })));
    for (const [i, o] of first.entries()) expect(o.status, `${repos[i]}: ${o.reason}`).toBe('committed');
    for (const r of repos) expect(existsSync(lockOf(r)), lockOf(r)).toBe(false);
    // One after another now: none may find a lock left by the concurrent runs.
    for (const r of repos) {
      const o = await runPhase(r, 'toy-rewrite');
      expect(o.step, o.reason).not.toBe('lock');
      expect(o.status, o.reason).toBe('committed');
      expect(existsSync(lockOf(r))).toBe(false);
    }
  }, 120_000);
});
