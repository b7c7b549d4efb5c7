/**
 * Real git repositories for tests: write files, `git init`, one commit. The one place the
 * fixtures (runner, review, manifest checks) make a repo, so its identity and branch agree.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

/** Writes each repo-relative path's text, creating directories. */
export function writeFiles(repo: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    writeFileSync(path.join(repo, rel), text);
  }
}

/** `git init` on branch main with a test identity, then commits everything as "initial". */
export function initAndCommit(repo: string): void {
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'initial');
}

/** A new temporary repo (name starting with `prefix`) holding `files` in one commit. */
export function makeGitRepo(prefix: string, files: Record<string, string>): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), prefix));
  writeFiles(repo, files);
  initAndCommit(repo);
  return repo;
}

/** The toolkit checkout the test backends link as their `ssot-migrate` dependency. */
const TOOLKIT = path.resolve(import.meta.dirname, '../..');

/**
 * Writes a test backend's files into `repo` and links this toolkit as its `ssot-migrate`
 * dependency (the backend's own `link-toolkit.sh`, one of its files).
 */
export function writeLinkedBackend(repo: string, files: Record<string, string>): void {
  writeFiles(repo, files);
  linkToolkit(repo);
  installToolkitFolder(repo);
}

function unlinkIfLink(p: string): void {
  if (lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(p);
}

// What link-toolkit.sh leaves out of the links (the toolkit's own npm and tool caches, and itself).
const NOT_LINKED = new Set(['.package-lock.json', '.cache', '.vite', 'ssot-migrate']);

/**
 * What a backend's link-toolkit.sh does (examples/relay-backend/link-toolkit.sh), in this process: node_modules a
 * folder with one symlink per entry of the toolkit's (.bin too), `ssot-migrate` a link to the toolkit, node_modules
 * in .gitignore. The script forks an `ln` and a `basename` per entry (~150): ~1.2-1.3 CPU-s a call, ~0.02 here. The
 * script itself stays run as a team runs it in test/legacy-app/runnable-copy.test.ts, test/relay-backend/runnable.test.ts,
 * test/codemods/legacy-app.test.ts and test/gen-monorepo/gen-monorepo.test.ts.
 */
export function linkToolkit(repo: string): void {
  const nm = path.join(repo, 'node_modules');
  unlinkIfLink(nm); // an older setup's single symlink: replaced by a folder
  mkdirSync(nm, { recursive: true });
  const link = (target: string, name: string): void => {
    unlinkIfLink(path.join(nm, name)); // `ln -sfn`: an existing link is replaced
    symlinkSync(target, path.join(nm, name));
  };
  for (const name of readdirSync(path.join(TOOLKIT, 'node_modules'))) if (!NOT_LINKED.has(name)) link(path.join(TOOLKIT, 'node_modules', name), name);
  link(TOOLKIT, 'ssot-migrate');
  const gitignore = path.join(repo, '.gitignore');
  const text = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
  if (!/^\/?node_modules\/?$/m.test(text)) writeFileSync(gitignore, `${text}${text !== '' && !text.endsWith('\n') ? '\n' : ''}node_modules\n`);
}

/**
 * node_modules/ssot-migrate of an app linked by its link-toolkit.sh made a folder, as an install has it — package.json
 * and what its `files` ship (dist/: the build the global setup made, the bin, the schema, the docs) hard-linked from this checkout, copied where hard links cannot
 * go — instead of the script's symlink to the checkout. Through the symlink the package's real path lies outside any
 * node_modules, so the app's vitest took every dist/ module its tests reach (the canonical module, the shim) for a
 * source file and ran it through its transform pipeline; in a folder under node_modules it is a dependency that Node
 * loads: ~1 CPU-s less a test run once the app imports the shim or the canonical module (examples/relay-backend with
 * a test importing both: 4.1-5.0 CPU-s a `vitest run` symlinked, 3.2-4.0 in a folder, 3 alternated pairs). The
 * package's own dependencies resolve as before, from the app's node_modules (a link to every entry of the toolkit's).
 */
export function installToolkitFolder(repo: string): void {
  const pkg = path.join(repo, 'node_modules/ssot-migrate');
  rmSync(pkg, { force: true }); // link-toolkit.sh's symlink (never followed)
  mkdirSync(pkg, { recursive: true });
  copyFileSync(path.join(TOOLKIT, 'package.json'), path.join(pkg, 'package.json'));
  // what the package ships (its `files`), as npm pack takes them: no list of our own to drift from it
  const { files } = JSON.parse(readFileSync(path.join(TOOLKIT, 'package.json'), 'utf8')) as { files: string[] };
  for (const entry of files) {
    mkdirSync(path.dirname(path.join(pkg, entry)), { recursive: true });
    try {
      execFileSync('cp', ['-al', path.join(TOOLKIT, entry), path.join(pkg, entry)], { stdio: 'ignore' });
    } catch {
      rmSync(path.join(pkg, entry), { recursive: true, force: true });
      execFileSync('cp', ['-a', path.join(TOOLKIT, entry), path.join(pkg, entry)], { stdio: 'ignore' });
    }
  }
}

/**
 * Makes `tsc` on the PATH of a linked backend's `npm run` scripts TypeScript 7's (the native
 * compiler, typescript-native: see NATIVE_TSC), as in a team's repo that installed typescript@7 — what
 * test/package/pack.test.ts does for real: node_modules/.bin, a link to the toolkit's, becomes a folder
 * of links to the toolkit's bins with `tsc` the native one. For an app whose verify runs
 * `npm run typecheck` (examples/relay-backend): ~0.7 CPU-s a typecheck instead of ~3.5.
 */
export function useNativeTsc(repo: string): void {
  const bin = path.join(repo, 'node_modules/.bin');
  const toolkitBin = realpathSync(bin);
  rmSync(bin);
  mkdirSync(bin);
  for (const name of readdirSync(toolkitBin)) symlinkSync(path.join(toolkitBin, name), path.join(bin, name));
  rmSync(path.join(bin, 'tsc'));
  symlinkSync(path.join(realpathSync(path.join(repo, 'node_modules/typescript-native')), 'node_modules/typescript/bin/tsc'), path.join(bin, 'tsc'));
}

/** A new temporary repo (name starting with `prefix`) holding a linked test backend in one commit. */
export function makeLinkedBackendRepo(prefix: string, files: Record<string, string>): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), prefix));
  writeLinkedBackend(repo, files);
  initAndCommit(repo);
  return repo;
}
