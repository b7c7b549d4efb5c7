/**
 * How many git processes a phase run and a `status` start: each costs ~2-5 ms of CPU to start
 * (more on a large repo for `status --porcelain` and `ls-files`), and the runner asked git the
 * same question several times while holding the repo lock with nothing written in between (HEAD
 * before the journal, before the baseline, the whole ledger again for run --all's first phase).
 * Counted through a `git` earlier on PATH that logs its arguments and execs the real one; the
 * bounds are the counts of the runner as it is, and fail on the one before (figures in each test).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli-process.js';
import { git, makeRepo, TWO_FILES } from './fixture-repo.js';

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

/** A PATH whose `git` logs each call's arguments (one line) to the returned file, then runs the real git. */
function countingPath(): { env: Record<string, string>; calls: () => string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-git-calls-'));
  cleanup.push(dir);
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const log = path.join(dir, 'calls.log');
  writeFileSync(log, '');
  const wrapper = path.join(dir, 'git');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return {
    env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

const count = (calls: string[], prefix: string) => calls.filter((c) => c.startsWith(prefix)).length;

describe('git processes per runner command', () => {
  it('run --all of two phases: HEAD read after each plan and each commit, the ledger once per phase', async () => {
    const repo = makeRepo(TWO_FILES);
    cleanup.push(repo);
    const { env, calls } = countingPath();
    const r = await cli(['run', '--all', '--repo', repo], { env });
    expect(r.code, r.err + r.out).toBe(0);
    expect(git(repo, 'log', '--format=%s').split('\n').filter(Boolean)).toHaveLength(3); // both phases committed
    const all = calls();
    // before: 45 gits (with --repo), 9 of them `rev-parse --verify -q HEAD`, 3 ledger reads (`log --reverse`),
    // 3 `ls-files -co`, plus `rev-parse --is-inside-work-tree` beside `--absolute-git-dir`
    expect(count(all, 'log --reverse'), all.join('\n')).toBe(2);
    expect(count(all, 'ls-files -co'), all.join('\n')).toBe(2);
    // two per phase: after planning (HEAD still the preflight's: test/runner/head-moved.test.ts) and its commit's sha;
    // the ledger's log names HEAD before
    expect(count(all, 'rev-parse --verify -q HEAD'), all.join('\n')).toBe(4);
    expect(count(all, 'rev-parse'), all.join('\n')).toBeLessThanOrEqual(5);
    expect(all.length, all.join('\n')).toBeLessThanOrEqual(35);
  });

  it('status: one rev-parse for the repo, the history read without asking HEAD first', async () => {
    const repo = makeRepo(TWO_FILES);
    cleanup.push(repo);
    expect((await cli(['run', '--all', '--repo', repo])).code).toBe(0);
    const { env, calls } = countingPath();
    const r = await cli(['status', '--repo', repo], { env });
    expect(r.code, r.err + r.out).toBe(0);
    const all = calls();
    // before: 8 (with --repo): `rev-parse --absolute-git-dir`, `rev-parse --verify -q HEAD`, the log, notes, cat-file, the folds' log, ls-tree, ls-files
    expect(count(all, 'rev-parse'), all.join('\n')).toBe(1);
    expect(all.length, all.join('\n')).toBeLessThanOrEqual(7);
  });
});
