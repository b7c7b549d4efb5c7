/**
 * A failed or interrupted phase leaves the tree exactly as it was — the files its verify commands
 * wrote included. The fixture's typecheck writes `out/build.js` and `.tsbuildinfo` (as a build and
 * `tsc --build` do), its test writes `coverage/lcov.info`, a new snapshot next to an existing one
 * and `dist/bundle.js` (ignored by .gitignore), and appends to the user's own untracked note. After
 * the failure every untracked, not-ignored file created during the phase is moved out of the tree
 * into the git dir's set-aside folder (named in the outcome and in `status`); the user's untracked
 * files and folders from before the phase, and the ignored `dist/`, are left where they are.
 * Before this, `out/`, `coverage/`, `.tsbuildinfo` and the snapshot stayed as untracked files, and
 * the next `run` refused the "dirty" tree.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoStatus, rollbackPhase, runPhase } from '../../scripts/runner/index.js';
import { fromTemplate, git, makeRepo, treeDigest } from './fixture-repo.js';
import { cli } from './cli-process.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

// Each run writes what real tools write; the typecheck's outputs under a new folder, the test's into folders that exist.
const TYPECHECK = `import fs from 'node:fs';
fs.mkdirSync('out/nested', { recursive: true });
fs.writeFileSync('out/nested/build.js', 'built ' + Date.now());
fs.writeFileSync('.tsbuildinfo', '{}');
let n = 0;
for (const f of fs.readdirSync('src').filter((f) => f.endsWith('.ts'))) for (const l of fs.readFileSync('src/' + f, 'utf8').split('\\n')) if (l.includes('BROKEN')) { n++; console.log('src/' + f + '(1,1): error TS2304: Cannot find name BROKEN.'); }
process.exit(n ? 2 : 0);
`;
const TEST = `import fs from 'node:fs';
fs.mkdirSync('coverage', { recursive: true });
fs.writeFileSync('coverage/lcov.info', 'TN:');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/bundle.js', 'ignored output');
fs.writeFileSync('src/__snapshots__/b.snap', 'new snapshot');
fs.mkdirSync('mine/empty', { recursive: true });
fs.writeFileSync('mine/empty/generated.txt', 'into the user\\'s empty folder');
if (fs.existsSync('notes.txt')) fs.appendFileSync('notes.txt', 'verify was here\\n');
if (fs.existsSync('notes.txt') && fs.readFileSync('notes.txt', 'utf8').includes('update snapshots')) fs.appendFileSync('src/__snapshots__/a.snap', 'updated\\n');
if (fs.existsSync('no-old') && fs.readFileSync('src/a.ts', 'utf8').includes('./old')) process.exit(1);
const bad = fs.readdirSync('src').some((f) => f.endsWith('.ts') && fs.readFileSync('src/' + f, 'utf8').includes('FAILTEST'));
process.exit(bad ? 1 : 0);
`;

function repoWithOutputs(): string {
  const repo = makeRepo({
    'typecheck.mjs': TYPECHECK,
    'test.mjs': TEST,
    '.gitignore': 'dist/\n',
    'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n',
    'src/__snapshots__/a.snap': 'tracked snapshot\n',
  });
  repos.push(repo);
  return repo;
}

/** The repo with discover committed, made once: each call gets its own `cp -a` copy (history, notes, cached health). */
const discovered = fromTemplate(async () => {
  const repo = repoWithOutputs();
  const d = await runPhase(repo, 'discover');
  expect(d.status, d.reason).toBe('committed');
  return repo;
}, repos);
/** Commits discover, then gives the user untracked things of their own (so the phase runs with --allow-dirty) and clears the verify outputs discover's runs left. */
async function prepared(): Promise<string> {
  const repo = await discovered();
  for (const p of ['out', 'coverage', '.tsbuildinfo', 'src/__snapshots__/b.snap', 'mine']) rmSync(path.join(repo, p), { recursive: true, force: true });
  writeFileSync(path.join(repo, 'notes.txt'), 'the user\'s own note\n');
  mkdirSync(path.join(repo, 'mine/empty'), { recursive: true }); // an empty folder of the user's
  return repo;
}

const untracked = (repo: string) => git(repo, 'status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).sort();
const digest = (repo: string) => treeDigest(repo, ['dist', 'notes.txt']);
const CREATED = ['.tsbuildinfo', 'coverage/lcov.info', 'mine/empty/generated.txt', 'out/nested/build.js', 'src/__snapshots__/b.snap'];

function setAsideFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(path.join(d, e.name)) : out.push(path.relative(dir, path.join(d, e.name)));
  };
  walk(dir);
  return out.sort();
}

function expectAsBefore(repo: string, before: { digest: string; untracked: string[]; head: string }): void {
  expect(digest(repo)).toBe(before.digest);
  expect(untracked(repo)).toEqual(before.untracked); // only the user's note and nothing new (git lists no empty folder)
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(before.head);
  expect(existsSync(path.join(repo, 'out'))).toBe(false); // the folders the outputs created are gone
  expect(existsSync(path.join(repo, 'coverage'))).toBe(false);
  expect(existsSync(path.join(repo, 'mine/empty'))).toBe(true); // the user's empty folder stays
  expect(readFileSync(path.join(repo, 'dist/bundle.js'), 'utf8')).toBe('ignored output'); // ignored: not the tree's
  expect(readFileSync(path.join(repo, 'notes.txt'), 'utf8')).toMatch(/^the user's own note\n/); // the user's: never moved
}

describe('files the verify commands write are not left in the tree by a failed phase', () => {
  test('a phase failing verification moves them out, names them, and status lists the folder', async () => {
    const repo = await prepared();
    const before = { digest: digest(repo), untracked: untracked(repo), head: git(repo, 'rev-parse', 'HEAD') };
    expect(before.untracked).toEqual(['?? notes.txt']);
    const o = await runPhase(repo, 'toy-rewrite', { allowDirty: true, options: { inject: 'BROKEN\n' } });
    expect(o).toMatchObject({ status: 'failed', step: 'verify' });
    expect(o.setAside?.files.sort()).toEqual(CREATED);
    expect(o.reason).toContain(`moved ${CREATED.length} untracked file(s) created during it`);
    expect(o.reason).toContain(o.setAside!.dir);
    expectAsBefore(repo, before);
    expect(setAsideFiles(o.setAside!.dir)).toEqual(CREATED);
    const s = await repoStatus(repo);
    expect(s.setAside).toEqual([expect.objectContaining({ dir: o.setAside!.dir, files: CREATED.length })]);
    // and the next run is not refused for a "dirty" tree: it commits
    const again = await runPhase(repo, 'toy-rewrite', { allowDirty: true });
    expect(again.status, again.reason).toBe('committed');
  }, 60_000);

  test('a tracked file a verify command rewrote is named, not restored (no copy of it was taken; it may be an edit of the user\'s)', async () => {
    const repo = await prepared();
    writeFileSync(path.join(repo, 'notes.txt'), 'update snapshots\n');
    const o = await runPhase(repo, 'toy-rewrite', { allowDirty: true, options: { inject: 'BROKEN\n' } });
    expect(o).toMatchObject({ status: 'failed', step: 'verify' });
    expect(o.reason).toContain('1 tracked file(s) changed during it that it did not write are left as they are (a verify command, or an edit of yours; `git diff` shows them): src/__snapshots__/a.snap');
    expect(readFileSync(path.join(repo, 'src/__snapshots__/a.snap'), 'utf8')).toMatch(/updated\n$/);
    expect(readFileSync(path.join(repo, 'src/a.ts'), 'utf8')).toContain('OLD'); // the phase's own file restored
  }, 60_000);

  test('a failed rollback verification moves them out too', async () => {
    const repo = await prepared();
    rmSync(path.join(repo, 'notes.txt'));
    rmSync(path.join(repo, 'mine'), { recursive: true });
    const o = await runPhase(repo, 'toy-rewrite');
    expect(o.status, o.reason).toBe('committed');
    for (const p of ['out', 'coverage', '.tsbuildinfo', 'src/__snapshots__/b.snap', 'mine']) rmSync(path.join(repo, p), { recursive: true, force: true });
    // a later commit makes the test fail on the old imports the revert brings back
    writeFileSync(path.join(repo, 'no-old'), '');
    git(repo, 'add', 'no-old');
    git(repo, 'commit', '-qm', 'no more ./old imports');
    const head = git(repo, 'rev-parse', 'HEAD');
    const tree = treeDigest(repo, ['dist']);
    const r = await rollbackPhase(repo, 'toy-rewrite');
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('rollback of toy-rewrite failed verification');
    expect(r.reason).toMatch(/moved \d+ untracked file\(s\) created during it/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(treeDigest(repo, ['dist'])).toBe(tree);
    expect(untracked(repo)).toEqual([]);
  }, 60_000);

  test('SIGKILL at the verify step: `recover` restores the files and moves out what the baseline wrote', async () => {
    const repo = await prepared();
    const before = { digest: digest(repo), untracked: untracked(repo), head: git(repo, 'rev-parse', 'HEAD') };
    await cli(['run', 'toy-rewrite', '--allow-dirty', '--repo', repo], { pauseAt: 'verify', signal: 'SIGKILL' });
    expect(existsSync(path.join(repo, 'out/nested/build.js'))).toBe(true); // the baseline's build output
    const pending = await repoStatus(repo).then(() => 'reported figures', (e: Error) => e.message);
    expect(pending).toMatch(/an interrupted phase toy-rewrite \(pid \d+, [^)]+\) stopped at step verify/);
    const recovered = await cli(['recover', '--repo', repo], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(recovered.code, recovered.err).toBe(0);
    const rec = recovered.out;
    expect(rec).toMatch(/recovered: the phase toy-rewrite \(interrupted at step verify\): restored 1 file\(s\)/);
    expect(rec).toContain(`moved ${CREATED.length} untracked file(s) created during it`);
    expectAsBefore(repo, before);
    expect((await repoStatus(repo)).setAside).toHaveLength(1);
  }, 60_000);

  test('SIGINT at the baseline step: the runner moves out what the baseline wrote, and says no file of the phase was changed', async () => {
    const repo = await prepared();
    const before = { digest: digest(repo), untracked: untracked(repo), head: git(repo, 'rev-parse', 'HEAD') };
    const { err } = await cli(['run', 'toy-rewrite', '--allow-dirty', '--repo', repo], { pauseAt: 'baseline', signal: 'SIGINT' });
    expect(err).toContain('interrupted by SIGINT at step baseline; nothing in the work tree had been changed');
    expect(err).toContain(`moved ${CREATED.length} untracked file(s) created during it`);
    expectAsBefore(repo, before);
  }, 60_000);
});
