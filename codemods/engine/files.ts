import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { gitToFile } from './git-output.js';
import { makeGlobMatcher } from './glob.js';

/** Extensions the engine parses (TypeScript's own parser handles all of them). */
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

export function isSourceFile(path: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/**
 * Executable scripts without an extension (`bin/www`, `bin/server`) whose `#!` line runs Node (or
 * Bun, Deno, tsx, ts-node): JavaScript the phases do not edit, but code that stays — a legacy
 * module one of them requires is still in use, so remove-shim's gate and status must see it.
 */
export function listNodeScripts(repoDir: string, exclude: readonly string[], repoFiles: readonly string[]): string[] {
  const included = userPathFilter(exclude);
  const head = Buffer.alloc(256);
  return repoFiles.filter((p) => {
    if (p.slice(p.lastIndexOf('/') + 1).includes('.') || !included(p)) return false;
    let fd: number | undefined;
    try {
      fd = openSync(join(repoDir, p), 'r');
      const n = readSync(fd, head, 0, head.length, 0);
      const first = head.toString('utf8', 0, n).split('\n', 1)[0]!;
      return first.startsWith('#!') && /\b(?:node|nodejs|bun|deno|tsx|ts-node)\b/.test(first);
    } catch {
      return false; // a directory entry git lists (a submodule), a file gone meanwhile
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  });
}

const GIT_LS_FILES = ['ls-files', '-co', '--exclude-standard', '-z'];
const GIT_MAX_BUFFER = 512 * 1024 * 1024;
const gitPaths = (stdout: string): string[] => stdout.split('\0').filter((p) => p !== '');

/** Every file of the repo (repo-relative posix paths), tracked or untracked, minus ignored ones. */
export function listRepoFiles(repoDir: string): string[] {
  const git = spawnSync('git', GIT_LS_FILES, { cwd: repoDir, encoding: 'utf8', maxBuffer: GIT_MAX_BUFFER });
  if (git.status === 0) return gitPaths(git.stdout);
  return walk(repoDir);
}

/**
 * listRepoFiles without blocking the thread while git runs (~20-50 ms of waiting on the bench's
 * 20,000 files), so the caller does other work meanwhile (codemods/snapshot: reading and
 * validating the manifest). git writes to a file (engine/git-output.ts): through a pipe it would
 * stop at 64 KiB of its ~0.9 MB until this thread is free to read. Not a git work tree: the same
 * directory walk, synchronously.
 */
export async function listRepoFilesAsync(repoDir: string): Promise<string[]> {
  const git = await gitToFile(repoDir, GIT_LS_FILES);
  return git.code === 0 && git.stdout !== undefined ? gitPaths(git.stdout) : walk(repoDir);
}

/**
 * Candidate source files: repo files with a source extension, minus node_modules and the
 * manifest's exclude globs. `__testfixtures__` stay candidates only if the repo wants them.
 */
export function listCandidateFiles(repoDir: string, exclude: readonly string[], repoFiles?: readonly string[]): string[] {
  const included = userPathFilter(exclude);
  return (repoFiles ?? listRepoFiles(repoDir)).filter((p) => isSourceFile(p) && included(p));
}

/** The repo's own paths: not under node_modules, not matched by the manifest's exclude globs. */
function userPathFilter(exclude: readonly string[]): (path: string) => boolean {
  const excluded = makeGlobMatcher(exclude);
  return (p) => !p.startsWith('node_modules/') && !p.includes('/node_modules/') && !excluded(p);
}

/**
 * Walk without git (a folder that is not a repository), honouring every .gitignore on the way
 * with the `ignore` package (git's own matching rules: anchoring, `**`, dir-only, `!`
 * re-includes, escapes); a deeper .gitignore wins over a shallower one, as in git.
 */
function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (rel: string, levels: readonly IgnoreLevel[]): void => {
    const abs = rel === '' ? root : join(root, rel);
    let local = levels;
    try {
      local = levels.concat({ base: rel, rules: ignore().add(readFileSync(join(abs, '.gitignore'), 'utf8')) });
    } catch {
      /* no .gitignore here */
    }
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const isDir = entry.isDirectory();
      if (isIgnored(local, path, isDir)) continue;
      if (isDir) visit(path, local);
      else if (entry.isFile()) out.push(path);
    }
  };
  visit('', []);
  return out.sort();
}

interface IgnoreLevel {
  /** The folder holding the .gitignore, repo-relative ('' at the root). */
  base: string;
  rules: Ignore;
}

function isIgnored(levels: readonly IgnoreLevel[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, rules } of levels) {
    const rel = base === '' ? path : path.slice(base.length + 1);
    const r = rules.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}
