/**
 * History rewritten by hand after phases were committed — `rebase -i` squash/fixup, a reorder, a
 * rebase onto a moved base (new hashes, the report notes left on the old ones), a hand revert
 * carried through a rebase, a `reset --hard` of a phase commit — and what the real CLI's `status`,
 * `run`, `review` and `rollback` then say. Real repositories (the runner's toy fixture), real git.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoStatus, runPhase } from '../../scripts/runner/index.js';
import { cli as runCli } from './cli-process.js';
import { fromTemplate, git, makeRepo, TWO_FILES } from './fixture-repo.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const cli = (repo: string, ...args: string[]) => runCli([...args, '--repo', repo]);

interface StatusJson {
  phases: { phase: string; state: string; commit?: string }[];
  legacyImportSites: number;
}

/**
 * `status --json` prints `repoStatus`'s result as JSON and nothing else (scripts/commands/status.ts):
 * most reads here take it in process (a CLI start is ~0.7 CPU-s; the file read status 17 times), the
 * same data through a JSON round trip; `via: 'cli'` runs the real CLI (the first squash case does, and
 * checks it prints what the in-process call returns).
 */
async function status(repo: string, via: 'cli' | 'process' = 'process'): Promise<StatusJson> {
  if (via === 'process') return JSON.parse(JSON.stringify(await repoStatus(repo))) as StatusJson;
  const r = await cli(repo, 'status', '--json');
  expect(r.code, r.err).toBe(0);
  const printed = JSON.parse(r.out) as StatusJson;
  expect(printed).toEqual(await status(repo));
  return printed;
}

async function states(repo: string, via: 'cli' | 'process' = 'process'): Promise<Record<string, string>> {
  const s = await status(repo, via);
  return Object.fromEntries(s.phases.filter((p) => p.state !== 'not-selected').map((p) => [p.phase, p.state === 'done' ? `done ${p.commit!.slice(0, 10)}` : p.state]));
}

const headSha = (repo: string) => git(repo, 'rev-parse', 'HEAD').trim();
const short = (sha: string) => sha.slice(0, 10);
const notes = (repo: string) => git(repo, 'notes', '--ref=ssot-migrate', 'list');

/** `git rebase -i <base>` with the todo list edited by `sed` (no editor: the squash message is kept as git writes it). */
function rebaseInteractive(repo: string, base: string, sedScript: string): void {
  git(repo, '-c', `sequence.editor=sed -i -e '${sedScript}'`, '-c', 'core.editor=true', 'rebase', '-q', '-i', base);
}

/** The fixture with discover and toy-rewrite committed, one commit each (made once; each case gets a copy). */
let commits: { discover: string; toy: string } | undefined;
const migratedCopy = fromTemplate(async () => {
  const repo = makeRepo(TWO_FILES);
  const d = await runPhase(repo, 'discover');
  expect(d.status).toBe('committed');
  const t = await runPhase(repo, 'toy-rewrite');
  expect(t.status).toBe('committed');
  commits = { discover: d.commit!, toy: t.commit! };
  return repo;
}, dirs);
async function migrated(): Promise<{ repo: string; discover: string; toy: string }> {
  const repo = await migratedCopy();
  return { repo, ...commits! };
}

function appCommit(repo: string, file: string, text: string): string {
  writeFileSync(path.join(repo, file), text);
  git(repo, 'add', file);
  git(repo, 'commit', '-qm', `app: ${file}`);
  return headSha(repo);
}

describe('squashed phase commits', () => {
  test('two phase commits squashed into one: both phases done at it, each review finds its own report, and rollback of the later one is refused naming the earlier', async () => {
    const { repo, discover, toy } = await migrated();
    rebaseInteractive(repo, 'HEAD~2', '2s/^pick/squash/');
    const squashed = headSha(repo);
    expect(git(repo, 'log', '-1', '--format=%B')).toMatch(/SSOT-Phase: discover[\s\S]*SSOT-Phase: toy-rewrite/);
    expect(await states(repo, 'cli')).toEqual({ discover: `done ${short(squashed)}`, 'toy-rewrite': `done ${short(squashed)}` });
    const again = await cli(repo, 'run', 'discover');
    expect(again.code, again.err).toBe(0);
    expect(again.out + again.err).toContain(`already committed in ${short(squashed)}`);

    // each phase's full report: the note git left on the commit it was squashed from
    const review = await cli(repo, 'review', 'discover', '--json');
    expect(review.code, review.err).toBe(0);
    expect(review.out).toContain(`the note of ${short(discover)}`);
    const reviewToy = JSON.parse((await cli(repo, 'review', 'toy-rewrite', '--json')).out) as { warnings: string[] };
    expect(reviewToy.warnings.join('\n')).toContain(`the note of ${short(toy)}`);

    const later = await cli(repo, 'rollback', 'toy-rewrite');
    expect(later.code).toBe(1);
    expect(later.err).toContain(`toy-rewrite was squashed into ${short(squashed)} with discover`);
    expect(later.err).toContain('ssot-migrate rollback discover');
    expect(headSha(repo)).toBe(squashed);

    const both = await cli(repo, 'rollback', 'discover');
    expect(both.code, both.err).toBe(0);
    expect(both.out).toContain(`reverted discover, toy-rewrite (${squashed.slice(0, 12)})`);
    expect(await states(repo)).toEqual({ discover: 'pending', 'toy-rewrite': 'blocked' });
    expect((await status(repo)).legacyImportSites).toBe(2);
  }, 120_000);

  test('a phase commit squashed with a later app commit: the phase stays done; rollback is refused (reverting it would take the app change back too)', async () => {
    const { repo } = await migrated();
    appCommit(repo, 'src/c.ts', 'export const c = 3;\n');
    rebaseInteractive(repo, 'HEAD~2', '2s/^pick/squash/');
    const squashed = headSha(repo);
    expect(git(repo, 'log', '-1', '--format=%B').trimEnd()).toMatch(/SSOT-Phase: toy-rewrite[\s\S]*app: src\/c\.ts$/);
    expect(await states(repo)).toMatchObject({ 'toy-rewrite': `done ${short(squashed)}` });
    const rb = await cli(repo, 'rollback', 'toy-rewrite');
    expect(rb.code).toBe(1);
    expect(rb.err).toContain(`toy-rewrite is in ${short(squashed)}, which also changes file(s) no phase in it wrote (src/c.ts)`);
    expect(headSha(repo)).toBe(squashed);
  }, 120_000);

  test('an app commit with a phase commit squashed into it (the phase\'s trailers last): done, rollback refused for the same reason', async () => {
    const { repo } = await migrated();
    git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    appCommit(repo, 'src/c.ts', 'export const c = 3;\n');
    expect((await runPhase(repo, 'toy-rewrite')).status).toBe('committed');
    rebaseInteractive(repo, 'HEAD~2', '2s/^pick/squash/');
    const squashed = headSha(repo);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('app: src/c.ts');
    expect(await states(repo)).toMatchObject({ 'toy-rewrite': `done ${short(squashed)}` });
    const rb = await cli(repo, 'rollback', 'toy-rewrite');
    expect(rb.code).toBe(1);
    expect(rb.err).toContain('also changes file(s) no phase in it wrote (src/c.ts)');
  }, 120_000);

  test('fixup drops the later phase commit\'s message: its phase is done at the commit it was folded into (found by its report note), `run` says so, rollback is refused naming the commit', async () => {
    const { repo, toy } = await migrated();
    rebaseInteractive(repo, 'HEAD~2', '2s/^pick/fixup/');
    const folded = headSha(repo);
    expect(git(repo, 'log', '-1', '--format=%B')).not.toContain('SSOT-Phase: toy-rewrite');
    expect(await states(repo)).toEqual({ discover: `done ${short(folded)}`, 'toy-rewrite': `done ${short(folded)}` });
    expect((await status(repo)).legacyImportSites).toBe(0); // its change is in the tree
    // the evidence is read from the note left on the commit it was folded from
    const s = (await status(repo)) as unknown as { phases: { phase: string; evidence?: { verdict: string } }[] };
    expect(s.phases.find((p) => p.phase === 'toy-rewrite')?.evidence?.verdict).toBe('verified');
    const again = await cli(repo, 'run', 'toy-rewrite');
    expect(again.code, again.err).toBe(0);
    expect(again.out + again.err).toContain(`already committed in ${short(folded)}`);
    expect(headSha(repo)).toBe(folded);
    const rb = await cli(repo, 'rollback', 'toy-rewrite');
    expect(rb.code).toBe(1);
    expect(rb.err).toContain(`toy-rewrite's commit was folded into ${short(folded)}`);
    void toy;
  }, 120_000);

  test('`commit --fixup` + `rebase -i --autosquash` with notes.rewriteRef set (git joins the notes): a later phase commit folded into an earlier one is done there; `reset --hard` of a phase commit still leaves it pending', async () => {
    const { repo } = await migrated();
    git(repo, 'config', 'notes.rewriteRef', 'refs/notes/ssot-migrate');
    // the later phase commit made a fixup of discover's, as `git commit --fixup=<discover>` names it
    git(repo, '-c', 'core.editor=true', 'commit', '-q', '--amend', '-m', `fixup! ${git(repo, 'log', '-1', '--format=%s', 'HEAD~1').trim()}`);
    git(repo, '-c', 'sequence.editor=true', '-c', 'core.editor=true', 'rebase', '-q', '-i', '--autosquash', 'HEAD~2');
    const folded = headSha(repo);
    expect(git(repo, 'notes', '--ref=ssot-migrate', 'show', folded)).toContain('ssot-migrate report v1: toy-rewrite');
    expect(await states(repo)).toEqual({ discover: `done ${short(folded)}`, 'toy-rewrite': `done ${short(folded)}` });

    const other = (await migrated()).repo;
    git(other, 'reset', '-q', '--hard', 'HEAD~1');
    expect(await states(other)).toEqual({ discover: `done ${short(headSha(other))}`, 'toy-rewrite': 'pending' });
  }, 120_000);
});

describe('rebased and reordered phase commits', () => {
  test('rebased onto a moved base: phases done at the new commits, review finds each report on the commit it was rewritten from', async () => {
    const { repo, toy } = await migrated();
    git(repo, 'branch', 'migration');
    git(repo, 'reset', '-q', '--hard', 'HEAD~2');
    appCommit(repo, 'src/c.ts', 'export const c = 3;\n');
    git(repo, 'checkout', '-q', 'migration');
    git(repo, 'rebase', '-q', 'main');
    const rebasedToy = headSha(repo);
    expect(rebasedToy).not.toBe(toy);
    expect(await states(repo)).toMatchObject({ 'toy-rewrite': `done ${short(rebasedToy)}` });
    const review = JSON.parse((await cli(repo, 'review', 'toy-rewrite', '--json')).out) as { warnings: string[] };
    expect(review.warnings.join('\n')).toContain(`the note of ${short(toy)}`);
    expect(review.warnings.join('\n')).not.toContain('full report missing');
  }, 120_000);

  test('with notes.rewriteRef set, git copies the notes on rebase: review reads the rebased commit\'s own note', async () => {
    const { repo } = await migrated();
    git(repo, 'config', 'notes.rewriteRef', 'refs/notes/ssot-migrate');
    git(repo, 'branch', 'migration');
    git(repo, 'reset', '-q', '--hard', 'HEAD~2');
    appCommit(repo, 'src/c.ts', 'export const c = 3;\n');
    git(repo, 'checkout', '-q', 'migration');
    git(repo, 'rebase', '-q', 'main');
    expect(notes(repo)).toContain(headSha(repo));
    const review = JSON.parse((await cli(repo, 'review', 'toy-rewrite', '--json')).out) as { warnings: string[] };
    expect(review.warnings.join('\n')).not.toContain('note');
  }, 120_000);

  test('a hand revert carried through a rebase still takes its phase back (the reverted hash is gone from history), also in a clone without the old commits', async () => {
    const { repo, toy } = await migrated();
    git(repo, 'revert', '--no-edit', toy);
    git(repo, 'branch', 'migration');
    git(repo, 'reset', '-q', '--hard', 'HEAD~3');
    appCommit(repo, 'src/c.ts', 'export const c = 3;\n');
    git(repo, 'checkout', '-q', 'migration');
    git(repo, 'rebase', '-q', 'main');
    expect(git(repo, 'log', '--format=%H')).not.toContain(toy);
    expect((await status(repo)).legacyImportSites).toBe(2);
    expect(await states(repo)).toMatchObject({ 'toy-rewrite': 'pending' });
    // a clone has only the rebased commits: the revert names a commit it has never seen
    const clone = mkdtempSync(path.join(os.tmpdir(), 'ssot-clone-'));
    dirs.push(clone);
    git(clone, 'clone', '-q', '--no-local', '-b', 'migration', repo, '.');
    expect(() => git(clone, 'cat-file', '-e', toy)).toThrow();
    expect(await states(clone)).toMatchObject({ 'toy-rewrite': 'pending' });
    // and reverting that revert (then rebasing again) applies it again
    git(repo, 'revert', '--no-edit', 'HEAD');
    git(repo, 'rebase', '-q', '--force-rebase', 'main');
    expect(await states(repo)).toMatchObject({ 'toy-rewrite': `done ${short(headSha(repo))}` });
  }, 120_000);

  test('reordered phase commits: rollback of the earlier phase also reverts the later one, though its commit is now before it', async () => {
    const { repo } = await migrated();
    rebaseInteractive(repo, 'HEAD~2', '1{h;d};2{G}');
    expect(git(repo, 'log', '-1', '--format=%s')).toMatch(/^ssot\(discover\)/);
    const rb = await cli(repo, 'rollback', 'discover');
    expect(rb.code, rb.err).toBe(0);
    expect(await states(repo)).toEqual({ discover: 'pending', 'toy-rewrite': 'blocked' });
    expect((await status(repo)).legacyImportSites).toBe(2);
  }, 120_000);
});
