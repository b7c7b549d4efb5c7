/**
 * git's output through a temporary file (engine/git-output.ts): all of it, however large (a pipe
 * holds 64 KiB), nothing left in the temp folder, and a failing command reported, not thrown.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo } from '../../test/helpers/git-repo.js';
import { gitToFile } from './git-output.js';

const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`ssot-migrate-git-${process.pid}-`));

describe('gitToFile', () => {
  let repo: string;
  beforeAll(() => {
    // ~3,000 paths of ~40 characters: well over a pipe's 64 KiB
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`packages/some-package-${i % 30}/src/module-file-${i}.ts`] = `export const x${i} = ${i};\n`;
    repo = makeGitRepo('ssot-git-output-', files);
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('reads the whole output once git has exited and leaves no file behind', async () => {
    const args = ['ls-files', '-z', '-s'];
    const r = await gitToFile(repo, args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout!.length).toBeGreaterThan(64 * 1024);
    expect(r.stdout).toBe(execFileSync('git', args, { cwd: repo, encoding: 'utf8' }));
    expect(leftovers()).toEqual([]);
  });

  it('reports a failing command with its exit code and stderr', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'ssot-git-output-plain-'));
    try {
      const r = await gitToFile(plain, ['ls-files'], { ...process.env, GIT_CEILING_DIRECTORIES: tmpdir() });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/not a git repository/);
      expect(leftovers()).toEqual([]);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
