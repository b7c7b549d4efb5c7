/**
 * The record of an operation's running gits (git-children.ts), which decides without /proc whether
 * a lock file's git is gone and whether `recover` may restore:
 * - the synchronous gits (`recover`'s `reset --soft` of a killed phase's commit, via gitSync) are in
 *   it with their real pid while they run — before, only the spawned ones were, so a `recover` killed
 *   in its reset left HEAD.lock that no record attributed;
 * - a second operation refused for the killed one's journal leaves that operation's record as it
 *   was — before, it replaced the record first (its own, empty), and the refusal no longer named the
 *   killed operation's git, still running and about to commit; and it says the phase was
 *   interrupted — before, holding the lock it found itself the lock's live holder and said "a phase
 *   is running on this repository (pid <its own>) — wait for it to finish" (runPhase in process; the
 *   CLI checks before taking the lock, except in a race).
 * A reference-transaction hook holds a git in the middle of its ref update (HEAD locked) at a known point.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { gitChildrenFile, readGitChildren } from '../../scripts/runner/git-children.js';
import { isAlive } from '../../scripts/runner/lock.js';
import { startCli as cli, until } from './cli-process.js';
import { fromTemplate, git, makeDiscoveredRepo, ONE_SITE, treeDigest } from './fixture-repo.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
/** discover committed (made once; each case gets a copy). */
const discovered = fromTemplate(() => makeDiscoveredRepo(ONE_SITE), dirs);

/**
 * discover committed, a hook that (once `arm` exists) holds the next update of a branch or HEAD (not
 * the report notes' ref: restore removes an undone commit's note before its reset), HEAD locked,
 * until `go` exists.
 */
async function repoWithHook(): Promise<{ repo: string; arm: string; mark: string; go: string }> {
  const repo = await discovered();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ssot-gcs-'));
  dirs.push(tmp);
  const [arm, mark, go] = ['arm', 'paused', 'go'].map((n) => path.join(tmp, n)) as [string, string, string];
  const hook = path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'hooks', 'reference-transaction');
  writeFileSync(hook, `#!/bin/sh\n[ "$1" = prepared ] || exit 0\n[ -e '${arm}' ] || exit 0\ncase "$(cat)" in *refs/notes/*) exit 0;; esac\n[ -e '${mark}' ] && exit 0\n: > '${mark}'\ni=0\nwhile [ ! -e '${go}' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\nexit 0\n`);
  chmodSync(hook, 0o755);
  return { repo, arm, mark, go };
}

const comm = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

describe('the record of running gits', () => {
  test("recover's synchronous `reset --soft` is recorded with its pid while it runs; the record goes when recover is done", async () => {
    const { repo, arm, mark, go } = await repoWithHook();
    const before = treeDigest(repo);
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    // the phase committed, its journal still there: killed at the commit step
    const killed = await cli(['run', 'toy-rewrite', '--repo', repo], { pauseAt: 'commit', signal: 'SIGKILL' }).done;
    expect(killed.signal).toBe('SIGKILL');
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Phase: toy-rewrite');
    writeFileSync(arm, '');
    const rec = cli(['recover', '--repo', repo]);
    await until("recover's reset held in its hook", () => existsSync(mark));
    const reset = readGitChildren(repo)?.children.find((c) => c.args.includes('reset'));
    expect(reset, JSON.stringify(readGitChildren(repo))).toBeDefined();
    expect(reset!.args).toEqual(['reset', '-q', '--soft', head]);
    expect(isAlive(reset!.pid)).toBe(true);
    expect(comm(reset!.pid)).toBe('git'); // the pid `sh` wrote is git's: exec kept it
    writeFileSync(go, '');
    const r = await rec.done;
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/undid its commit/);
    expect(existsSync(gitChildrenFile(repo))).toBe(false);
    expect(treeDigest(repo)).toBe(before);
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
  }, 60_000);

  test("a second run refused for a killed phase's journal keeps that phase's record, and names its git still running", async () => {
    const { repo, arm, mark, go } = await repoWithHook();
    writeFileSync(arm, '');
    const run = cli(['run', 'toy-rewrite', '--repo', repo]);
    await until('the phase commit held in its hook', () => existsSync(mark));
    const gitPid = readGitChildren(repo)!.children.find((c) => c.args.includes('commit'))!.pid;
    process.kill(run.pid, 'SIGKILL'); // the CLI alone: its git lives on, about to commit
    await run.done;
    const second = await runPhase(repo, 'toy-rewrite');
    expect(second.status).toBe('refused');
    expect(second.step).toBe('journal');
    expect(second.reason).toContain(`its git is still running (pid ${gitPid}: git`);
    expect(second.reason).not.toContain('is running on this repository'); // the lock's live holder was the refused run itself
    expect(readGitChildren(repo)?.children.map((c) => c.pid)).toContain(gitPid);
    const refused = await cli(['recover', '--repo', repo]).done;
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`git is still running (pid ${gitPid}`);
    writeFileSync(go, '');
    await until('the surviving git to finish', () => !isAlive(gitPid), 10_000);
    const r = await cli(['recover', '--repo', repo]).done;
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/undid its commit/);
  }, 60_000);
});
