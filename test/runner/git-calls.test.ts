/**
 * How many git processes a phase run and a `status` start: each costs ~2-5 ms of CPU to start
 * (more on a large repo for `status --porcelain` and `ls-files`), and the runner asked git the
 * same question several times while holding the repo lock with nothing written in between (HEAD
 * before the journal, before the baseline, the whole ledger again for run --all's first phase).
 * Counted through a `git` earlier on PATH that logs its arguments and execs the real one; the
 * bounds are the counts of the runner as it is, and fail on the one before (figures in each test).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { treeStatus } from '../../scripts/git/index.js';
import { makeGitRepo, writeFiles } from '../helpers/git-repo.js';
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
  it('run --all of two phases: HEAD read after each plan and each commit, the ledger once per phase, the status three times for the first phase and twice for the second', async () => {
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
    // two per phase: after planning (HEAD still the preflight's: test/runner/head-moved.test.ts) and its commit's sha with
    // its tree (the health cache's key, one process for both); the ledger's log names HEAD and its tree before
    expect(count(all, 'rev-parse --verify -q HEAD'), all.join('\n')).toBe(2);
    expect(count(all, 'rev-parse HEAD HEAD^{tree}'), all.join('\n')).toBe(2);
    expect(count(all, 'rev-parse'), all.join('\n')).toBeLessThanOrEqual(5);
    // the tree's status: the first phase's preflight, then per phase after planning and after its commit; the second
    // phase's preflight takes the first one's after-commit status (before: 6, one more for the second preflight)
    expect(count(all, 'status --porcelain'), all.join('\n')).toBe(5);
    // each journal lists the untracked files and the changed tracked ones from the status read after planning, and asks git
    // only for the empty untracked folders (before: `ls-files --others` with and without --directory, and `diff --name-only`, each journal)
    expect(count(all, '-c core.quotePath=false ls-files --others'), all.join('\n')).toBe(2);
    expect(count(all, '-c core.quotePath=false diff --name-only'), all.join('\n')).toBe(0);
    // before: 35
    expect(all.length, all.join('\n')).toBeLessThanOrEqual(30);
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

describe('one status for the journal', () => {
  it('the untracked and changed files of `git status` are what `ls-files --others` and `diff --name-only` list (a staged rename, an intent-to-add, a type change, a nested repository, an ignored folder, unusual names)', async () => {
    const repo = makeGitRepo('ssot-status-', { 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'c.txt': 'c\n', 'd/x': 'x\n', typ: 't\n', '.gitignore': 'ign/\n' });
    cleanup.push(repo);
    writeFiles(repo, { 'src/a.ts': 'a2\n', 'new/deep/f': 'f\n', 'ign/i': 'i\n', 'sp ace é.ts': 'u\n', 'ita.ts': 'ita\n', 'nested/x': 'x\n' });
    rmSync(path.join(repo, 'src/b.ts'));
    git(repo, 'mv', 'c.txt', 'c2.txt');
    writeFiles(repo, { 'd/x': 'x2\n' });
    git(repo, 'add', 'd/x');
    writeFiles(repo, { 'd/x': 'x3\n' });
    git(repo, 'add', '-N', 'ita.ts');
    unlinkSync(path.join(repo, 'typ'));
    symlinkSync('src/a.ts', path.join(repo, 'typ'));
    mkdirSync(path.join(repo, 'empty/e2'), { recursive: true });
    git(path.join(repo, 'nested'), 'init', '-q');
    const list = (...args: string[]) => git(repo, '-c', 'core.quotePath=false', ...args).split('\0').filter(Boolean);
    const s = await treeStatus(repo);
    expect(s.untracked).toEqual(list('ls-files', '--others', '--exclude-standard', '-z'));
    expect(s.untracked).toEqual(['nested/', 'new/deep/f', 'sp ace é.ts']);
    expect(s.modified.sort()).toEqual(list('diff', '--name-only', '-z').sort());
    expect(s.modified.sort()).toEqual(['d/x', 'ita.ts', 'src/a.ts', 'src/b.ts', 'typ']);
    // a rename names both paths (before: the source path came out cut by three characters)
    expect(s.dirty).toEqual(expect.arrayContaining(['c2.txt', 'c.txt']));
    expect(s.dirty).toHaveLength(10);
  });
});

