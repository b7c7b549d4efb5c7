/** --dry-run diffs are patches git accepts: new and deleted files carry git's mode headers. */
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo, treeDigest } from './fixture-repo.js';

// Creates src/made.ts (and an empty src/empty.ts), deletes src/c.ts and the executable bin.sh, edits src/b.ts.
const MOVER = `export default function mover({ read }) {
  return {
    writes: [
      { path: 'src/made.ts', content: 'export const made = 1;\\n' },
      { path: 'lib/deep/er/new.ts', content: 'export const deep = 2;' },
      { path: 'src/empty.ts', content: '' },
      { path: 'src/c.ts', content: null },
      { path: 'bin.sh', content: null },
      { path: 'src/b.ts', content: read('src/b.ts').replace('b = 1', 'b = 2') },
    ],
    edits: 6,
    summary: 'create, delete, edit',
  };
}
`;

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

describe('dry-run diff', () => {
  test('`git apply --check` accepts it, and applying it gives the tree the phase would commit', async () => {
    const repo = makeRepo(
      { 'src/b.ts': 'export const b = 1;\n', 'src/c.ts': 'export const c = 1;\n', 'bin.sh': '#!/bin/sh\necho hi\n', 'phases/mover.mjs': MOVER },
      { phases: ['discover', 'mover'], customPhases: [{ name: 'mover', kind: 'module', path: 'phases/mover.mjs', after: 'discover' }] },
    );
    repos.push(repo);
    chmodSync(path.join(repo, 'bin.sh'), 0o755);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'exec bit');
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    const before = treeDigest(repo);
    const o = await runPhase(repo, 'mover', { dryRun: true });
    expect(o.status, o.reason).toBe('dry-run');
    expect(treeDigest(repo)).toBe(before);
    const diff = o.diff!;
    expect(diff).toContain('diff --git a/src/made.ts b/src/made.ts\nnew file mode 100644\n--- /dev/null\n+++ b/src/made.ts\n');
    expect(diff).toContain('diff --git a/src/c.ts b/src/c.ts\ndeleted file mode 100644\n--- a/src/c.ts\n+++ /dev/null\n');
    expect(diff).toContain('deleted file mode 100755');
    const patch = path.join(repo, '..', `${path.basename(repo)}.patch`);
    writeFileSync(patch, diff);
    execFileSync('git', ['apply', '--check', patch], { cwd: repo });
    execFileSync('git', ['apply', patch], { cwd: repo });
    const applied = treeDigest(repo);
    git(repo, 'reset', '-q', '--hard');
    git(repo, 'clean', '-qfd');
    rmSync(patch);
    expect(treeDigest(repo)).toBe(before);
    // the committed phase makes the same tree the patch made
    const c = await runPhase(repo, 'mover');
    expect(c.status, c.reason).toBe('committed');
    expect(treeDigest(repo)).toBe(applied);
  });
});
