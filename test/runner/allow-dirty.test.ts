/** --allow-dirty: refused when dirty paths overlap the phase's files; otherwise only the phase's files are committed. */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { commitPaths } from '../../scripts/git/index.js';
import { committedPhases, runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo, treeDigest } from './fixture-repo.js';

const FILES = {
  'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n',
  'src/b.ts': 'import { OLD } from "./old";\nexport const b = OLD;\n',
  'src/c.ts': 'export const c = 1;\n',
};
const repos: string[] = [];
const repoWith = () => {
  const r = makeRepo(FILES);
  repos.push(r);
  return r;
};
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

describe('--allow-dirty', () => {
  test('dirty paths the phase writes are refused, naming them; the tree is left as it was', async () => {
    const repo = repoWith();
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    appendFileSync(path.join(repo, 'src/b.ts'), '// my local edit\n');
    const before = treeDigest(repo);
    const o = await runPhase(repo, 'toy-rewrite', { allowDirty: true });
    expect(o).toMatchObject({ status: 'refused', step: 'preflight' });
    expect(o.reason).toMatch(/--allow-dirty: toy-rewrite writes file\(s\) with uncommitted changes \(src\/b\.ts\)/);
    expect(treeDigest(repo)).toBe(before);
    expect([...(await committedPhases(repo)).keys()]).toEqual(['discover']);
  });

  test("unrelated dirty and staged files stay out of the phase commit and stay as they were", async () => {
    const repo = repoWith();
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    appendFileSync(path.join(repo, 'src/c.ts'), '// unrelated edit\n');
    writeFileSync(path.join(repo, 'notes.txt'), 'staged, not mine to commit\n');
    git(repo, 'add', 'notes.txt');
    writeFileSync(path.join(repo, 'scratch.txt'), 'untracked\n');
    const o = await runPhase(repo, 'toy-rewrite', { allowDirty: true });
    expect(o.status, o.reason).toBe('committed');
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect(git(repo, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([' M src/c.ts', '?? scratch.txt', 'A  notes.txt']);
    expect(readFileSync(path.join(repo, 'src/c.ts'), 'utf8')).toContain('unrelated edit');
  });

  test("a phase that finds nothing to change in a dirty tree is not recorded (its edits may be the dirty ones)", async () => {
    const repo = repoWith();
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    // the phase's edits, made and left uncommitted (as an interrupted run used to leave them)
    for (const f of ['src/a.ts', 'src/b.ts']) writeFileSync(path.join(repo, f), readFileSync(path.join(repo, f), 'utf8').replace('"./old"', '"./canonical"').replaceAll('OLD', 'NEW'));
    const head = git(repo, 'rev-parse', 'HEAD');
    const o = await runPhase(repo, 'toy-rewrite', { allowDirty: true });
    expect(o).toMatchObject({ status: 'refused', step: 'preflight' });
    expect(o.reason).toMatch(/found nothing to change in a tree with uncommitted changes \(src\/a\.ts, src\/b\.ts\)/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  test('the commit message reaches git through stdin: a 300 KiB message (over the 128 KiB argument limit) commits', async () => {
    const repo = repoWith();
    writeFileSync(path.join(repo, 'src/c.ts'), 'export const c = 2;\n');
    const message = `big message\n\n${'x'.repeat(100)}\n`.repeat(3000);
    const sha = await commitPaths(repo, ['src/c.ts'], message);
    expect(git(repo, 'log', '-1', '--format=%B', sha).length).toBeGreaterThan(300_000);
    // a git failure names the command, its exit code and git's stderr
    await expect(commitPaths(repo, ['no/such/file.ts'], 'x')).rejects.toThrow(/`git --literal-pathspecs add -A --pathspec-from-file .*` failed in .* \(exit 128\): fatal: pathspec 'no\/such\/file\.ts' did not match any files/);
  });
});
