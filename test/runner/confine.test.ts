/** Writes stay inside the repo: every path a phase writes is resolved with symlinks followed. */
import { mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo, treeDigest } from './fixture-repo.js';

// Writes options.target (content options.content), or deletes it when options.remove is set.
const WRITER = `export default function writer({ options }) {
  return { writes: [{ path: options.target, content: options.remove ? null : options.content }], edits: 1, summary: 'write ' + options.target };
}
`;

const outside = mkdtempSync(path.join(os.tmpdir(), 'ssot-outside-'));
const repos: string[] = [];
afterAll(() => {
  for (const r of [...repos, outside]) rmSync(r, { recursive: true, force: true });
});

function repoWithLinks(): string {
  const repo = makeRepo(
    { 'phases/writer.mjs': WRITER, 'src/real.ts': 'export const real = 1;\n' },
    { phases: ['discover', 'writer'], customPhases: [{ name: 'writer', kind: 'module', path: 'phases/writer.mjs', after: 'discover' }] },
  );
  repos.push(repo);
  writeFileSync(path.join(outside, 'legacy.ts'), 'export const outside = 1;\n');
  mkdirSync(path.join(outside, 'dir'), { recursive: true });
  symlinkSync(path.join(outside, 'legacy.ts'), path.join(repo, 'src/legacy.ts'));
  mkdirSync(path.join(repo, 'lib'));
  symlinkSync(path.join(outside, 'dir'), path.join(repo, 'lib/linked-dir'));
  symlinkSync('real.ts', path.join(repo, 'src/alias.ts'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'links');
  return repo;
}

describe('writes stay inside the repository', () => {
  test('a write through a symlink to a file outside, or into a symlinked folder outside, is refused and nothing is written', async () => {
    const repo = repoWithLinks();
    const d = await runPhase(repo, 'discover');
    expect(d.status, d.reason).toBe('committed');
    const before = treeDigest(repo);
    const outsideBefore = readFileSync(path.join(outside, 'legacy.ts'), 'utf8');
    const viaFile = await runPhase(repo, 'writer', { options: { target: 'src/legacy.ts', content: 'export const outside = 2;\n' } });
    expect(viaFile).toMatchObject({ status: 'refused', step: 'transform' });
    expect(viaFile.reason).toContain(`writer refuses to write "src/legacy.ts": it resolves (symlinks followed) to ${path.join(outside, 'legacy.ts')}, outside the repository`);
    const viaDir = await runPhase(repo, 'writer', { options: { target: 'lib/linked-dir/frozen/x.ts', content: 'x\n' } });
    expect(viaDir).toMatchObject({ status: 'refused', step: 'transform' });
    expect(viaDir.reason).toMatch(/"lib\/linked-dir\/frozen\/x\.ts": it resolves \(symlinks followed\) to .*outside the repository/);
    const dryRun = await runPhase(repo, 'writer', { dryRun: true, options: { target: 'src/legacy.ts', content: 'y' } });
    expect(dryRun.status).toBe('refused');
    expect(readFileSync(path.join(outside, 'legacy.ts'), 'utf8')).toBe(outsideBefore);
    expect(treeDigest(repo)).toBe(before);
  });

  test('a write through a symlink inside the repo lands on its target; the link itself is untouched', async () => {
    const repo = repoWithLinks();
    const d = await runPhase(repo, 'discover');
    expect(d.status, d.reason).toBe('committed');
    const o = await runPhase(repo, 'writer', { options: { target: 'src/alias.ts', content: 'export const real = 2;\n' } });
    expect(o.status, o.reason).toBe('committed');
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('src/real.ts');
    expect(readlinkSync(path.join(repo, 'src/alias.ts'))).toBe('real.ts');
    expect(readFileSync(path.join(repo, 'src/real.ts'), 'utf8')).toBe('export const real = 2;\n');
    expect(readFileSync(path.join(outside, 'legacy.ts'), 'utf8')).toBe('export const outside = 1;\n');
  });
});
