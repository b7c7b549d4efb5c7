/** The CLI's own behaviour around commands: --version, finding the repository, errors without stacks. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findInitRoot, findRepoRoot, repoRelativeArg, RepoPathError, resolveRepo } from '../../scripts/repo-root.js';
import { BUILT_CLI } from '../runner/cli-process.js';

const root = path.resolve(import.meta.dirname, '../..');
// --version runs the checkout's bin (the sources through tsx: what bin/ssot-migrate.js does in a checkout);
// the other commands the built CLI (dist/, as an installed package runs it; test/runner/built-cli.mjs), which
// runs the same main() at ~0.3 CPU-s a start instead of ~1-2.4 through tsx
const SOURCE_BIN = path.join(root, 'bin/ssot-migrate.js');
const cli = (args: string[], cwd = root, bin = BUILT_CLI) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('ssot-migrate CLI basics', () => {
  test('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const r = cli(['--version'], root, SOURCE_BIN);
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

  test('init without --repo in a package of a monorepo drafts there (its package.json), and reads --legacy from the working directory', () => {
    // JeLLek1/PIM-chess-app keeps its backend in server/ (package.json, tsconfig, node_modules):
    // run from server/, init took the git top level and refused 'src/…' (no such source file), and
    // with 'server/src/…' drafted a manifest there naming a tsconfig.json and test script it lacks
    const repo = path.join(tmp, 'mono');
    mkdirSync(path.join(repo, 'server/src/repo'), { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(path.join(repo, 'server/package.json'), '{ "name": "server", "scripts": { "test": "node -e 0" } }');
    writeFileSync(path.join(repo, 'server/tsconfig.json'), '{ "compilerOptions": { "module": "commonjs" } }');
    writeFileSync(path.join(repo, 'server/src/repo/conns.ts'), 'const m = new Map<string, { send(d: string): void }>();\nexport function save(id: string, ws: { send(d: string): void }): void { m.set(id, ws); }\n');
    writeFileSync(path.join(repo, 'server/src/app.ts'), "import { save } from './repo/conns';\nsave('u', { send() {} });\n");
    const server = path.join(repo, 'server');
    expect(findInitRoot(path.join(server, 'src/repo'))).toBe(server);
    expect(findRepoRoot(path.join(server, 'src/repo'))).toBe(repo); // other commands: unchanged until a manifest exists
    expect(repoRelativeArg('conns.ts', server, path.join(server, 'src/repo'))).toBe('src/repo/conns.ts');
    expect(repoRelativeArg('src/repo/conns', server, repo)).toBe('src/repo/conns'); // not a file from there: repo-relative as before
    const r = cli(['init', '--legacy', 'conns.ts', '--dry-run'], path.join(server, 'src/repo'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('"module": "src/repo/conns"');
    expect(r.out).toContain('"test": "npm test"');
    expect(r.out).toContain('"module": "ssot-migrate/canonical",');
    // the package's own TypeScript is 4.x: the draft takes the core entry, whose declarations 4.4 reads
    mkdirSync(path.join(server, 'node_modules/typescript'), { recursive: true });
    writeFileSync(path.join(server, 'node_modules/typescript/package.json'), '{ "name": "typescript", "version": "4.4.3" }');
    const old = cli(['init', '--legacy', 'src/repo/conns.ts', '--dry-run'], server);
    expect(old.code).toBe(0);
    expect(old.out).toContain('"module": "ssot-migrate/canonical/core",');
    expect(old.out).toContain("canonical.module: ssot-migrate/canonical/core (the repo's TypeScript 4.4.3");
    const bad = cli(['init', '--legacy', 'nope.ts', '--dry-run'], server);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`--legacy nope: no such source file in the repo (paths are read from the working directory, else from the repo root ${server})`);
    // once the manifest exists, every command finds the package from its subfolders
    writeFileSync(path.join(server, 'ssot.config.json'), '{}');
    expect(findRepoRoot(path.join(server, 'src/repo'))).toBe(server);
  }, 60_000);

  test('resolveRepo checks an explicit --repo and resolves it against the working directory', () => {
    expect(resolveRepo('b', tmp)).toBe(path.join(tmp, 'b'));
    expect(() => resolveRepo('nope', tmp)).toThrow(RepoPathError);
  });
});
