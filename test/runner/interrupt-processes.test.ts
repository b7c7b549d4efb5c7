/**
 * Interrupts that land while the runner's own child processes are in flight (found by a kill
 * sweep over copies of test/static-backend, issue-chaos): the verify commands (their own process
 * group) and a `git commit`. Each case places the signal exactly, from inside the child:
 * - the verify command records its pid and sleeps; the test SIGKILLs the CLI's whole process
 *   group (what `kill -9 -PGID`, an OOM kill or a CI timeout does). The verify group must end with
 *   it: before, a slow test suite ran on after the CLI (and after `recover`) and could write into
 *   the restored tree.
 * - a `reference-transaction` hook SIGTERMs the CLI (not its group: `kill PID`, `timeout`, systemd)
 *   while `git commit` updates the branch. The runner must end that git (which removes its lock
 *   files) before restoring: before, it restored, then SIGKILLed git, leaving index.lock, HEAD.lock
 *   and the branch's .lock behind, so every later git command in the repo failed while the CLI
 *   said the tree was as before; a git left running could also move HEAD after the restore.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli as runCli, startCli } from './cli-process.js';
import { fromTemplate, git, makeDiscoveredRepo, treeDigest } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const FILES = { 'src/a.ts': "import { OLD } from './old';\nexport const a = OLD;\n", 'src/b.ts': "import { OLD } from './old';\nexport const b = OLD + 1;\n" };

/** discover committed (made once, in process; each case gets a copy). */
const defaultCopy = fromTemplate(async () => {
  const repo = await makeDiscoveredRepo(FILES);
  repos.push(repo);
  return repo;
}, repos);
/**
 * A copy; with `patch`, the manifest patched in a commit of its own on top of discover's (the cases
 * run concurrently and only through CLI processes: no second in-process discover, whose runner state
 * another in-process run would share). The phase's baseline is then measured with the patched commands.
 */
async function prepared(patch?: Record<string, unknown>): Promise<string> {
  const repo = await defaultCopy();
  if (!patch) return repo;
  const file = path.join(repo, 'ssot.config.json');
  writeFileSync(file, `${JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>), ...patch }, null, 2)}\n`);
  git(repo, 'commit', '-qam', 'manifest: patched for the case');
  return repo;
}

const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Git's lock files left in the git dir (index.lock, HEAD.lock, refs/**.lock, next-index-*.lock). */
function gitLocks(repo: string): string[] {
  const dir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'objects') continue;
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith('.lock') && e.name !== 'ssot-migrate.lock') out.push(path.relative(dir, abs));
    }
  };
  walk(dir);
  return out;
}

/** The CLI in its own process group, stdin /dev/null. */
const cli = (args: string[], onStart?: (pid: number) => void) => runCli(args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], onStart });

/** A reference-transaction hook: at the first \`state\` transaction under an index.lock (the phase commit's branch update), \`kill\` the CLI (git's parent). */
function hookCommit(repo: string, state: 'prepared' | 'committed', kill: string): { gitDir: string; hook: string; fired: string } {
  const gitDir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
  const hook = path.join(gitDir, 'hooks', 'reference-transaction');
  const fired = path.join(gitDir, 'hook-fired');
  const cliPid = "$(awk '{print $4}' /proc/$PPID/stat)";
  writeFileSync(hook, `#!/bin/sh\nif [ "$1" = ${state} ] && [ -f "${gitDir}/index.lock" ] && [ ! -f "${fired}" ]; then\n  touch "${fired}"\n  ${kill.replace('CLI', cliPid)}\n  sleep 1\nfi\nexit 0\n`);
  chmodSync(hook, 0o755);
  return { gitDir, hook, fired };
}

const waitFor = async (what: () => boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!what() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  return what();
};

// The cases run side by side (each mostly waits on its CLI process, its hooks' sleeps and git): each has its own repo and process group.
describe.skipIf(!existsSync('/proc/self/stat'))('interrupts while the runner waits on a child process', { concurrent: true }, () => {
  test('SIGKILL of the CLI process group during a verify command: the verify command ends too', async () => {
    const pidFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'ssot-verify-pid-')), 'verify.pid');
    repos.push(path.dirname(pidFile));
    // the test command: first a baseline run (quick), then, once files changed, a slow one that says who it is
    const repo = await prepared({ verify: { typecheck: 'node typecheck.mjs', test: `node test.mjs && if grep -q NEW src/a.ts; then echo $$ > ${pidFile}; sleep 60; fi` } });
    let pgid = 0;
    const ran = cli(['run', 'toy-rewrite', '--repo', repo], (pid) => (pgid = pid));
    expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 60_000)).toBe(true);
    const verifyPid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(verifyPid)).toBe(true);
    process.kill(-pgid, 'SIGKILL');
    expect((await ran).signal).toBe('SIGKILL');
    // the verify command (its own group, out of reach of the kill) ends as soon as the CLI is gone
    expect(await waitFor(() => !alive(verifyPid), 5_000), `verify command ${verifyPid} outlived the CLI`).toBe(true);
    const rec = await cli(['recover', '--repo', repo]);
    expect(rec.code, rec.err).toBe(0);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 120_000);

  for (const state of ['prepared', 'committed'] as const) {
    test(`SIGTERM to the CLI while git commit updates the branch (${state}): restored, no git lock file left, git usable`, async () => {
      const repo = await prepared();
      const before = treeDigest(repo);
      const head = git(repo, 'rev-parse', 'HEAD').trim();
      const { hook, fired } = hookCommit(repo, state, 'kill -TERM "CLI"');
      const r = await cli(['run', 'toy-rewrite', '--repo', repo]);
      expect(existsSync(fired)).toBe(true);
      expect(r.code, r.err).toBe(143);
      expect(r.err).toMatch(/interrupted by SIGTERM at step commit; restored 2 file\(s\) byte-for-byte/);
      if (state === 'committed') expect(r.err).toMatch(/undid its commit/);
      expect(gitLocks(repo)).toEqual([]);
      expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
      expect(treeDigest(repo)).toBe(before);
      expect(git(repo, 'status', '--porcelain')).toBe('');
      rmSync(hook);
      // git works in the repo, and so does the phase
      const again = await cli(['run', 'toy-rewrite', '--repo', repo]);
      expect(again.code, again.err).toBe(0);
      expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Phase: toy-rewrite');
    }, 120_000);
  }

  test('SIGKILL of the process group mid-commit: recover removes the lock files that git left (not older ones) and says so', async () => {
    const repo = await prepared();
    const before = treeDigest(repo);
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const gitDir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
    // a lock some other tool left long before the phase: named, never removed
    const older = path.join(gitDir, 'refs', 'heads', 'elsewhere.lock');
    writeFileSync(older, '');
    utimesSync(older, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const { hook } = hookCommit(repo, 'prepared', 'kill -KILL -$(awk \'{print $5}\' /proc/$PPID/stat)');
    const r = await cli(['run', 'toy-rewrite', '--repo', repo]);
    expect(r.signal).toBe('SIGKILL');
    rmSync(hook);
    // git killed outright: its locks are there, and a phase refuses up front instead of after verifying
    expect(gitLocks(repo)).toEqual(expect.arrayContaining(['index.lock', 'HEAD.lock']));
    const rec = await cli(['recover', '--repo', repo]);
    expect(rec.code, rec.err).toBe(0);
    expect(rec.out).toMatch(/recovered: the phase toy-rewrite \(interrupted at step commit\)/);
    expect(rec.out).toMatch(/removed the git lock file\(s\) its killed git left in the git dir: .*index\.lock/);
    expect(rec.out).toMatch(/left git lock file\(s\) in the git dir: refs\/heads\/elsewhere\.lock \(older than the interrupted operation/);
    expect(gitLocks(repo)).toEqual(['refs/heads/elsewhere.lock']);
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(treeDigest(repo)).toBe(before);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    rmSync(older);
    const again = await cli(['run', 'toy-rewrite', '--repo', repo]);
    expect(again.code, again.err).toBe(0);
  }, 120_000);

  test('SIGTERM: a git lock file made during the run with no git left running is removed (an older one is only named)', async () => {
    const repo = await prepared();
    const gitDir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
    const older = path.join(gitDir, 'refs', 'heads', 'elsewhere.lock');
    writeFileSync(older, '');
    utimesSync(older, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const run = startCli(['run', 'toy-rewrite', '--repo', repo], { stdio: ['ignore', 'ignore', 'pipe'], pauseAt: 'plan' });
    await run.paused;
    // what a git of this run leaves when it dies between creating its lock and registering it for cleanup
    writeFileSync(path.join(gitDir, 'index.lock'), '');
    process.kill(run.pid, 'SIGTERM');
    const { code, err } = await run.done;
    expect(code).toBe(143);
    expect(err).toMatch(/interrupted by SIGTERM at step plan; nothing in the work tree had been changed; removed the git lock file\(s\) its git left: index\.lock; git lock file\(s\) left in the git dir: refs\/heads\/elsewhere\.lock \(older than the interrupted operation/);
    expect(gitLocks(repo)).toEqual(['refs/heads/elsewhere.lock']);
  }, 120_000);

  test('an index.lock held by another tool: run and rollback refuse up front, naming it, and change nothing', async () => {
    const repo = await prepared();
    const gitDir = git(repo, 'rev-parse', '--absolute-git-dir').trim();
    const before = treeDigest(repo);
    writeFileSync(path.join(gitDir, 'index.lock'), '');
    const t = Date.now();
    const r = await cli(['run', 'toy-rewrite', '--repo', repo]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused \(at preflight\)[\s\S]*index\.lock exists: another git process is working in this repository/);
    expect(r.err).not.toMatch(/verifying/);
    const rb = await cli(['rollback', 'discover', '--repo', repo]);
    expect(rb.code).toBe(1);
    expect(rb.err).toMatch(/index\.lock exists/);
    expect(Date.now() - t).toBeLessThan(60_000);
    expect(treeDigest(repo)).toBe(before);
    // a lock that goes away within the wait (an editor's git status) does not refuse
    const lock = path.join(gitDir, 'index.lock');
    setTimeout(() => rmSync(lock, { force: true }), 500);
    const ok = await cli(['run', 'toy-rewrite', '--repo', repo]);
    expect(ok.code, ok.err).toBe(0);
  }, 120_000);
});
