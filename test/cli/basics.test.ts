/** The CLI's own behaviour around commands: --version, finding the repository, errors without stacks. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findRepoRoot, RepoPathError, resolveRepo } from '../../scripts/repo-root.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/ssot-migrate.js');
const cli = (args: string[], cwd = root) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('ssot-migrate CLI basics', () => {
  test('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const r = cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${version}\n`);
  });

  test('a --repo that does not exist is a usage error that says so, without a stack', () => {
    const r = cli(['run', 'discover', '--repo', '/nonexistent/ssot-repo']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^--repo \/nonexistent\/ssot-repo: no such directory\n/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const f = cli(['status', '--repo', path.join(root, 'package.json')]);
    expect(f.code).toBe(2);
    expect(f.err).toMatch(/not a directory/);
  });

  test('--help says demo is repository-only', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/demo\s+\(repository checkout only\)/);
    expect(r.out).toMatch(/--version/);
  });
});

describe('findRepoRoot', () => {
  let tmp = '';
  beforeAll(() => {
    tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'ssot-root-')));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const git = (cwd: string, ...args: string[]) => expect(spawnSync('git', args, { cwd }).status).toBe(0);

  test('walks up to the nearest ssot.config.json within the git repository', () => {
    const repo = path.join(tmp, 'a');
    mkdirSync(path.join(repo, 'packages/api/src/deep'), { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(path.join(repo, 'ssot.config.json'), '{}');
    writeFileSync(path.join(repo, 'packages/api/ssot.config.json'), '{}');
    expect(findRepoRoot(path.join(repo, 'packages/api/src/deep'))).toBe(path.join(repo, 'packages/api'));
    expect(findRepoRoot(path.join(repo, 'packages'))).toBe(repo);
  });

  test('falls back to the git top level, and outside git to the working directory', () => {
    const repo = path.join(tmp, 'b');
    mkdirSync(path.join(repo, 'src/x'), { recursive: true });
    git(repo, 'init', '-q');
    expect(findRepoRoot(path.join(repo, 'src/x'))).toBe(repo);
    const plain = path.join(tmp, 'c/d');
    mkdirSync(plain, { recursive: true });
    expect(findRepoRoot(plain)).toBe(plain);
  });

  test('the CLI uses it: a command run from a subfolder reads the repository root', () => {
    const repo = path.join(tmp, 'b');
    const r = cli(['status'], path.join(repo, 'src/x'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(path.join(repo, 'ssot.config.json'));
  });

  test('resolveRepo checks an explicit --repo and resolves it against the working directory', () => {
    expect(resolveRepo('b', tmp)).toBe(path.join(tmp, 'b'));
    expect(() => resolveRepo('nope', tmp)).toThrow(RepoPathError);
  });
});
