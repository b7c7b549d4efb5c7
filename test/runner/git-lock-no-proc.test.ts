/**
 * A git the runner started, caught holding its lock files (a reference-transaction hook pauses the
 * phase commit's `git commit` right after it locked HEAD and the branch):
 * - the CLI's whole process group SIGKILLed, on a system without /proc (SSOT_MIGRATE_TEST_PROC_ROOT
 *   names a folder that does not exist): `recover` removes the locks that git left, because the
 *   runner recorded that git's pid (git-children.ts) and `kill(pid, 0)` says it is gone — before,
 *   without /proc the locks were only named, and every later git write failed;
 * - a git that is not the operation's (not recorded) holding a lock, without /proc: kept, named;
 * - the CLI alone SIGKILLed (its git lives on, paused): `status` and `recover` say that git is still
 *   running and recover refuses — before, recover restored the tree and the surviving git then
 *   committed the phase over it; once the git has ended, recover undoes its commit and restores.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readGitChildren } from '../../scripts/runner/git-children.js';
import { clearLocksLeftSince, gitLockFiles } from '../../scripts/runner/git-locks.js';
import { isAlive } from '../../scripts/runner/lock.js';
import { startCli, until } from './cli-process.js';
import { fromTemplate, git, makeDiscoveredRepo, makeRepo, ONE_SITE, treeDigest } from './fixture-repo.js';

const NO_PROC = { SSOT_MIGRATE_TEST_PROC_ROOT: path.join(os.tmpdir(), 'no-such-proc-for-ssot-tests') };
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** discover committed (made once; each case gets a copy). */
const discovered = fromTemplate(() => makeDiscoveredRepo(ONE_SITE), dirs);

async function pausedCommitRepo(): Promise<{ repo: string; gitDir: string; mark: string; go: string }> {
  const repo = await discovered();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ssot-nop-'));
  dirs.push(tmp);
  const gitDir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
  const mark = path.join(tmp, 'paused');
  const go = path.join(tmp, 'go');
  const hook = path.join(gitDir, 'hooks', 'reference-transaction');
  writeFileSync(hook, `#!/bin/sh\n[ "$1" = prepared ] || exit 0\n[ -e '${mark}' ] && exit 0\n: > '${mark}'\ni=0\nwhile [ ! -e '${go}' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\nexit 0\n`);
  chmodSync(hook, 0o755);
  return { repo, gitDir, mark, go };
}

function startRun(repo: string): { pid: number; closed: Promise<unknown> } {
  const run = startCli(['run', 'toy-rewrite', '--repo', repo], { detached: true, stdio: ['ignore', 'ignore', 'ignore'] });
  return { pid: run.pid, closed: run.done };
}

const cli = (args: string[], env: Record<string, string> = {}) => startCli(args, { env }).done;

const lockNames = (repo: string) => gitLockFiles(repo).map((l) => l.name).sort();

describe('git lock files of a killed git, without /proc', () => {
  test('the CLI group SIGKILLed in its commit: recover (no /proc) removes the locks its recorded, dead git left', async () => {
    const { repo, mark } = await pausedCommitRepo();
    const before = treeDigest(repo);
    const head = git(repo, 'rev-parse', 'HEAD');
    const run = startRun(repo);
    await until('the commit paused in its hook', () => existsSync(mark));
    const rec = readGitChildren(repo);
    expect(rec?.children.map((c) => c.args[c.args.indexOf('commit')] ?? c.args.join(' '))).toContain('commit');
    process.kill(-run.pid, 'SIGKILL'); // the CLI, its git and the hook
    await run.closed;
    await until('the recorded git to be gone', () => rec!.children.every((c) => !isAlive(c.pid)), 5000);
    expect(lockNames(repo)).toEqual(expect.arrayContaining(['HEAD.lock', 'refs/heads/main.lock']));
    const r = await cli(['recover', '--repo', repo], NO_PROC);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/recovered: the phase toy-rewrite \(interrupted at step commit\)/);
    expect(r.out).toMatch(/removed the git lock file\(s\) its killed git left in the git dir: .*HEAD\.lock/);
    expect(r.out).not.toContain('left git lock file(s)');
    expect(lockNames(repo)).toEqual([]);
    expect(treeDigest(repo)).toBe(before);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'git writes again'); // no lock in the way
  }, 60_000);

  test('without /proc, a lock no recorded git of the operation made is kept and named', async () => {
    const repo = makeRepo(ONE_SITE);
    dirs.push(repo);
    const gitDir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
    const since = Date.now() - 1000;
    writeFileSync(path.join(gitDir, 'index.lock'), ''); // another git's, as far as anyone can tell here
    const saved = process.env.SSOT_MIGRATE_TEST_PROC_ROOT;
    process.env.SSOT_MIGRATE_TEST_PROC_ROOT = NO_PROC.SSOT_MIGRATE_TEST_PROC_ROOT;
    try {
      const r = clearLocksLeftSince(repo, since, 0);
      expect(r).toEqual({ removed: [], kept: ['index.lock'], why: expect.stringContaining('no /proc') });
    } finally {
      if (saved === undefined) delete process.env.SSOT_MIGRATE_TEST_PROC_ROOT;
      else process.env.SSOT_MIGRATE_TEST_PROC_ROOT = saved;
    }
    expect(existsSync(path.join(gitDir, 'index.lock'))).toBe(true);
  }, 30_000);

  test('the CLI alone SIGKILLed while its git lives on: recover refuses until that git ends, then undoes its commit', async () => {
    const { repo, mark, go } = await pausedCommitRepo();
    const before = treeDigest(repo);
    const head = git(repo, 'rev-parse', 'HEAD');
    const run = startRun(repo);
    await until('the commit paused in its hook', () => existsSync(mark));
    const gitPid = readGitChildren(repo)!.children.find((c) => c.args.includes('commit'))!.pid;
    process.kill(run.pid, 'SIGKILL'); // the CLI only: its git goes on
    await run.closed;
    expect(isAlive(gitPid)).toBe(true);
    const st = await cli(['status', '--repo', repo], NO_PROC);
    expect(st.code).toBe(1);
    expect(st.err).toContain(`its git is still running (pid ${gitPid}: git`);
    const refused = await cli(['recover', '--repo', repo], NO_PROC);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`recover refused: the interrupted operation's git is still running \\(pid ${gitPid}: git [^)]*commit`));
    expect(existsSync(path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'ssot-migrate', 'journal', 'journal.json'))).toBe(true);
    writeFileSync(go, '');
    await until('the surviving git to finish', () => !isAlive(gitPid), 10_000);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Phase: toy-rewrite'); // it did commit, after the CLI was gone
    const r = await cli(['recover', '--repo', repo], NO_PROC);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/recovered: the phase toy-rewrite \(interrupted at step commit\): restored 1 file\(s\) byte-for-byte, undid its commit/);
    expect(treeDigest(repo)).toBe(before);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(readdirSync(path.dirname(mark))).toContain('go');
  }, 60_000);
});
