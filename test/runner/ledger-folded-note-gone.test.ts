/**
 * A phase commit folded into another by a fixup (`rebase -i` fixup: its message, trailers and all,
 * dropped) when its report note is gone too — a clone that did not fetch refs/notes/ssot-migrate,
 * or the notes deleted. The ledger found folds by the note only, so the phase read pending and
 * `run` recorded it again as an empty commit ("rewrote 0 site(s)") while its change was in the
 * tree. The phase commit itself is often still there — in the reflog, or on the branch a clone was
 * made from (origin/…) — with its trailers: found there, it reads done at the commit it was folded
 * into, saying its note is lost, and `run` commits nothing. Real git, the runner's toy fixture.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { git, headSha, phaseState, toyMigratedCopies, TWO_FILES } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

/** discover and toy-rewrite committed, made once (in process); each case gets a copy. */
const migrated = toyMigratedCopies(TWO_FILES, repos);

const stateOf = phaseState;
/** toy-rewrite's commit (HEAD) folded into discover's (HEAD~1) by `rebase -i` fixup: discover's message only. */
const fixup = (repo: string) => git(repo, '-c', "sequence.editor=sed -i -e '2s/^pick/fixup/'", '-c', 'core.editor=true', 'rebase', '-q', '-i', 'HEAD~2');

describe('a phase commit folded by a fixup, its report note gone too', () => {
  test('notes deleted, the phase commit still in the reflog: done at the fold, "note lost"; run commits nothing; rollback refused naming the commit', async () => {
    const { repo, toy } = await migrated();
    git(repo, 'update-ref', '-d', 'refs/notes/ssot-migrate');
    fixup(repo);
    const folded = headSha(repo);
    expect(git(repo, 'log', '--format=%B')).not.toContain('SSOT-Phase: toy-rewrite');
    const s = await stateOf(repo, 'toy-rewrite');
    expect(s).toMatchObject({ state: 'done', commit: folded, evidence: { verdict: 'verified', undone: [], changed: [] } });
    expect(s.why).toBe(`its commit ${toy.slice(0, 10)} was folded into ${folded.slice(0, 10)} by a fixup (its message dropped) and its report note is lost; found in the reflog`);
    const again = await runPhase(repo, 'toy-rewrite');
    expect(again).toMatchObject({ status: 'nothing-to-do', commit: folded });
    // its subject is the target's (discover's): the reason says how the phase came to be in it
    expect(again.reason).toMatch(new RegExp(`^already committed in ${folded.slice(0, 10)} \\(ssot\\(discover\\): .*\\): its commit ${toy.slice(0, 10)} was folded into ${folded.slice(0, 10)} by a fixup`));
    expect(headSha(repo)).toBe(folded);
    const rb = await rollbackPhase(repo, 'toy-rewrite');
    expect(rb.ok).toBe(false);
    expect(rb.reason).toContain(`phase toy-rewrite's commit was folded into ${folded.slice(0, 10)}`);
  });

  test('a clone without the notes, rewritten there and gc\'d: the phase commit on origin/… is found', async () => {
    const { repo: origin, toy } = await migrated();
    const repo = mkdtempSync(path.join(os.tmpdir(), 'ssot-runner-'));
    repos.push(repo);
    execFileSync('git', ['clone', '-q', '--no-local', origin, repo]);
    expect(git(repo, 'for-each-ref', 'refs/notes/')).toBe(''); // notes are not fetched by default
    fixup(repo);
    git(repo, 'reflog', 'expire', '--expire=now', '--all');
    git(repo, 'gc', '-q', '--prune=now');
    const folded = headSha(repo);
    const s = await stateOf(repo, 'toy-rewrite');
    expect(s).toMatchObject({ state: 'done', commit: folded, evidence: { verdict: 'verified' } });
    expect(s.why).toContain(`its commit ${toy.slice(0, 10)} was folded into ${folded.slice(0, 10)} by a fixup (its message dropped) and its report note is lost; found on origin/`);
    expect(await runPhase(repo, 'toy-rewrite')).toMatchObject({ status: 'nothing-to-do', commit: folded });
    expect(headSha(repo)).toBe(folded);
  });

  test('a phase commit undone by `reset --hard` (in the reflog, its files not in the tree) is not taken for a fold: pending, and run commits it', async () => {
    const { repo } = await migrated();
    git(repo, 'update-ref', '-d', 'refs/notes/ssot-migrate');
    git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'pending' });
    const r = await runPhase(repo, 'toy-rewrite');
    expect(r).toMatchObject({ status: 'committed', files: 2 });
  });

  test('known limit: note and phase commit both gone (reflog expired, gc) — pending, and run records "nothing to change", saying it cannot point at the fold', async () => {
    const { repo } = await migrated();
    git(repo, 'update-ref', '-d', 'refs/notes/ssot-migrate');
    fixup(repo);
    git(repo, 'reflog', 'expire', '--expire=now', '--all');
    git(repo, 'gc', '-q', '--prune=now');
    const folded = headSha(repo);
    expect(await stateOf(repo, 'toy-rewrite')).toMatchObject({ state: 'pending' }); // nothing left that names the phase
    const r = await runPhase(repo, 'toy-rewrite');
    expect(r).toMatchObject({ status: 'committed', files: 0 });
    expect(r.reason).toContain('the tree already holds what toy-rewrite writes, and no commit of it is in this history');
    expect(r.reason).toContain('that commit cannot be pointed at');
    expect(git(repo, 'diff', '--name-only', folded, 'HEAD')).toBe(''); // it changed nothing
  });
});
