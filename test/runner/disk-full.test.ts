/**
 * A full disk (a real 4 MB tmpfs, filled): the runner refuses or fails with the step and the
 * reason, leaves the tree and git as they were, and leaves nothing of its own behind — before,
 * ENOSPC writing the lock left an empty lock file, and ENOSPC writing the journal escaped as a
 * bare error with half a journal in the git dir. Needs `mount` (root, as in this project's CI
 * container); skipped where it is not allowed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { git, makeRepo, treeDigest } from './fixture-repo.js';
import { cliSync } from './cli-process.js';

const mnt = mkdtempSync(path.join(os.tmpdir(), 'ssot-full-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]).status === 0;
let prepared = '';

beforeAll(async () => {
  if (!mounted) return;
  // one file big enough (~350 KB) that its journal copy does not fit in what is left
  const big = Array.from({ length: 6000 }, (_, i) => `export const v${i} = OLD + ${i}; // padding padding padding`).join('\n');
  prepared = makeRepo({ 'src/a.ts': "import { OLD } from './old';\nexport const a = OLD;\n", 'src/big.ts': `import { OLD } from './old';\n${big}\n` });
  expect((await runPhase(prepared, 'discover')).status).toBe('committed');
}, 120_000);

afterAll(() => {
  if (mounted) spawnSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
  if (prepared) rmSync(prepared, { recursive: true, force: true });
});

/** A copy of the prepared repo on the tmpfs, then filler until only `freeKb` is left (0: until ENOSPC). */
function onFullDisk(name: string, freeKb: number): { repo: string; filler: string } {
  const repo = path.join(mnt, name);
  execFileSync('cp', ['-a', prepared, repo]);
  const filler = path.join(mnt, `${name}.filler`);
  const avail = Number(execFileSync('df', ['-k', '--output=avail', mnt], { encoding: 'utf8' }).trim().split('\n')[1]);
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(1024);
  try {
    for (let kb = 0; freeKb === 0 || kb < avail - freeKb; kb++) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return { repo, filler };
}

const run = (repo: string) => cliSync(['run', 'toy-rewrite', '--repo', repo]);

describe.skipIf(!mounted)('a full disk', () => {
  test('no room for the lock file: refused at lock, no empty lock file left, nothing changed', () => {
    const { repo, filler } = onFullDisk('nolock', 0);
    const before = treeDigest(repo);
    const r = run(repo);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused \(at lock\)[\s\S]*could not create the lock file .*ENOSPC/);
    expect(existsSync(path.join(repo, '.git', 'ssot-migrate.lock'))).toBe(false);
    expect(treeDigest(repo)).toBe(before);
    rmSync(filler);
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);

  test('no room for the journal: failed at baseline (the journal is written before the baseline runs) naming it, no partial journal, tree untouched; with room again it commits', () => {
    const { repo, filler } = onFullDisk('nojournal', 150);
    const before = treeDigest(repo);
    const head = git(repo, 'rev-parse', 'HEAD');
    const r = run(repo);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/toy-rewrite: failed \(at baseline\)[\s\S]*could not write the journal in .*ENOSPC.*nothing in the work tree was changed/);
    expect(existsSync(path.join(repo, '.git', 'ssot-migrate', 'journal'))).toBe(false);
    expect(existsSync(path.join(repo, '.git', 'ssot-migrate.lock'))).toBe(false);
    expect(treeDigest(repo)).toBe(before);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    rmSync(filler);
    const again = run(repo);
    expect(again.code, again.err).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('SSOT-Phase: toy-rewrite');
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);
});
