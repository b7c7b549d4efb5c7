/**
 * A phase commit the runner undoes (`recover` after a `kill -9`, or the Ctrl-C handler) must not
 * leave its report note behind: `git notes --ref=ssot-migrate list` (and a push of that ref) would
 * otherwise carry a "full report" of a phase commit that is in no branch. The kill comes from a
 * reference-transaction hook, right after the note's ref update is committed — the last write of
 * the phase before its journal is cleared. Also when a person undid that commit by hand before
 * `recover` ran, and notes git gc left pointing at pruned commits. Real CLI, real git.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readJournal, recoverRepo, runPhase } from '../../scripts/runner/index.js';
import { cli as runCli, startCli } from './cli-process.js';
import { fromTemplate, git, makeDiscoveredRepo, TWO_FILES } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});


/** Signals the pid in $KILL_PID_FILE once a transaction updating the report notes ref is committed. */
const HOOK = `#!/bin/sh
[ "$1" = committed ] && [ -n "$KILL_PID_FILE" ] || exit 0
grep -q ' refs/notes/ssot-migrate$' || exit 0
kill -s "$KILL_SIG" "$(cat "$KILL_PID_FILE")"
`;

function runKilled(repo: string, signal: 'KILL' | 'INT'): Promise<{ signal: NodeJS.Signals | null; err: string }> {
  const pidFile = path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'kill-pid');
  return startCli(['run', 'toy-rewrite', '--repo', repo], { env: { KILL_PID_FILE: pidFile, KILL_SIG: signal }, onStart: (pid) => writeFileSync(pidFile, String(pid)) }).done;
}

/** discover committed and the hook installed (made once; each case gets a copy). */
const preparedCopy = fromTemplate(async () => {
  const repo = await makeDiscoveredRepo(TWO_FILES);
  const hook = path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'hooks', 'reference-transaction');
  writeFileSync(hook, HOOK);
  chmodSync(hook, 0o755);
  return repo;
}, repos);
async function prepared(): Promise<{ repo: string; base: string }> {
  const repo = await preparedCopy();
  return { repo, base: git(repo, 'rev-parse', 'HEAD').trim() };
}

const notes = (repo: string) => git(repo, 'notes', '--ref=ssot-migrate', 'list');

describe('an undone phase commit keeps no report note', () => {
  test('kill -9 after the note was written, then recover: the commit is undone and so is its note', async () => {
    const { repo, base } = await prepared();
    const notesBefore = notes(repo);
    const r = await runKilled(repo, 'KILL');
    expect(r.signal).toBe('SIGKILL');
    const phaseCommit = git(repo, 'rev-parse', 'HEAD').trim();
    expect(phaseCommit).not.toBe(base);
    expect(readJournal(repo)?.step).toBe('commit');
    expect(notes(repo)).toContain(phaseCommit); // the point of the kill: the note is there
    const rec = recoverRepo(repo);
    expect(rec).toMatchObject({ recovered: true, undidCommit: phaseCommit, base });
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(base);
    expect(notes(repo)).not.toContain(phaseCommit);
    expect(notes(repo)).toBe(notesBefore);
    // the rerun commits again, with its own note
    const again = await runPhase(repo, 'toy-rewrite');
    expect(again.status).toBe('committed');
    expect(git(repo, 'notes', '--ref=ssot-migrate', 'show', again.commit!)).toContain('toy-rewrite');
  });

  test('Ctrl-C after the note was written: the handler undoes the commit and its note', async () => {
    const { repo, base } = await prepared();
    const notesBefore = notes(repo);
    const r = await runKilled(repo, 'INT');
    expect(r.err).toMatch(/undid its commit [0-9a-f]{10}/);
    const undone = /undid its commit ([0-9a-f]{10})/.exec(r.err)![1]!;
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(base);
    expect(readJournal(repo)).toBeUndefined();
    expect(notes(repo)).not.toContain(undone);
    expect(notes(repo)).toBe(notesBefore);
  });

  test('kill -9 after the note was written, the commit undone by hand (reset --hard HEAD~1), then recover: the note on that orphaned commit goes too', async () => {
    const { repo, base } = await prepared();
    const notesBefore = notes(repo);
    expect((await runKilled(repo, 'KILL')).signal).toBe('SIGKILL');
    const phaseCommit = git(repo, 'rev-parse', 'HEAD').trim();
    expect(notes(repo)).toContain(phaseCommit);
    git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    const rec = await cli(repo, 'recover');
    expect(rec.code, rec.err).toBe(0);
    expect(rec.out).toContain(`its commit ${phaseCommit.slice(0, 10)} had been undone by hand (it is in no branch or tag): removed its report note`);
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(base);
    expect(notes(repo)).toBe(notesBefore);
    expect(readJournal(repo)).toBeUndefined();
    const st = await cli(repo, 'status');
    expect(st.out).toMatch(/pending\s+toy-rewrite/);
  }, 180_000);

  test('the same, but a branch still holds the undone commit: recover keeps its note (it is the report of a commit in history)', async () => {
    const { repo } = await prepared();
    expect((await runKilled(repo, 'KILL')).signal).toBe('SIGKILL');
    const phaseCommit = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'branch', 'keep');
    git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    const rec = await cli(repo, 'recover');
    expect(rec.code, rec.err).toBe(0);
    expect(rec.out).not.toContain('undone by hand');
    expect(notes(repo)).toContain(phaseCommit);
  }, 180_000);

  test('git gc after a phase commit was reset away: its note points at a pruned commit, and status, run and review are unaffected (review of a rewritten commit falls back to the message)', async () => {
    const { repo } = await prepared();
    const first = await runPhase(repo, 'toy-rewrite');
    expect(first.status).toBe('committed');
    // a rebased copy of the phase commit (new hash, same message), then the original reset away and pruned
    git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    // a committer date of its own: picked within the second the phase committed, the copy would be the same commit
    process.env['GIT_COMMITTER_DATE'] = '2001-02-03T04:05:06Z';
    try {
      git(repo, 'cherry-pick', first.commit!);
    } finally {
      delete process.env['GIT_COMMITTER_DATE'];
    }
    const picked = git(repo, 'rev-parse', 'HEAD').trim();
    expect(picked).not.toBe(first.commit);
    rmSync(path.join(git(repo, 'rev-parse', '--absolute-git-dir').trim(), 'ORIG_HEAD'), { force: true });
    git(repo, 'reflog', 'expire', '--expire=now', '--all');
    git(repo, 'gc', '-q', '--prune=now');
    expect(() => git(repo, 'cat-file', '-e', first.commit!)).toThrow();
    expect(notes(repo)).toContain(first.commit!); // git leaves the note: it points at nothing now
    const st = await cli(repo, 'status');
    expect(st.code, st.err).toBe(0);
    expect(st.out).toMatch(new RegExp(`done\\s+toy-rewrite \\(custom\\)\\s+${picked.slice(0, 12)}`));
    const review = await cli(repo, 'review', 'toy-rewrite', '--json');
    expect(review.code, review.err).toBe(0);
    expect((JSON.parse(review.out) as { warnings: string[] }).warnings.join('\n')).toContain(`full report missing: no note under refs/notes/ssot-migrate on ${picked.slice(0, 10)}`);
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('nothing-to-do');
    git(repo, 'notes', '--ref=ssot-migrate', 'prune');
    expect(notes(repo)).not.toContain(first.commit!);
  }, 180_000);
});

const cli = (repo: string, ...args: string[]) => runCli([...args, '--repo', repo]);
