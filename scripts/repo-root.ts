/**
 * Which repository a command works on: `--repo DIR` when given (it must be an existing
 * directory), else the root found from the working directory — the nearest folder holding
 * ssot.config.json, up to the git top level; else the git top level; else the working directory.
 * So the CLI works from any subfolder of a repository, as git does.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SOURCE_EXTENSIONS } from '../codemods/engine/files.js';
import { MANIFEST_FILE } from '../manifest/index.js';
import { workTreeTopSync } from './git/index.js';

/** A --repo that is not a directory: a user error, reported without a stack. */
export class RepoPathError extends Error {}

// (the git module's: the same rev-parse answers what the command asks git first, for the top level)
const gitTopLevel = (dir: string): string | undefined => workTreeTopSync(dir);

/** The repository root for a working directory (see the module comment). */
export function findRepoRoot(cwd: string = process.cwd()): string {
  const start = path.resolve(cwd);
  const top = gitTopLevel(start);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, MANIFEST_FILE))) return dir;
    if (dir === top || path.dirname(dir) === dir) break;
  }
  return top ?? start;
}

/**
 * Where `init` drafts the manifest when no `--repo` is given: the repository an existing
 * ssot.config.json already roots; else the nearest folder holding a package.json, up to the git
 * top level — in a monorepo's package that is where its tsconfig, scripts and
 * node_modules/ssot-migrate are (the git top level has none of them, and a manifest drafted there
 * named a tsconfig and test script it does not have); else findRepoRoot's answer.
 */
export function findInitRoot(cwd: string = process.cwd()): string {
  const found = findRepoRoot(cwd);
  if (existsSync(path.join(found, MANIFEST_FILE))) return found;
  const start = path.resolve(cwd);
  const top = gitTopLevel(start);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === top || path.dirname(dir) === dir) break;
  }
  return found;
}

/**
 * A path the user typed (`--legacy PATH`) as the repo-relative path the commands work with: one
 * that names a file from the working directory inside the repo is taken from there (as a shell
 * user means it, also from a subfolder); anything else is taken as repo-relative, as before.
 */
export function repoRelativeArg(arg: string, repo: string, cwd: string = process.cwd()): string {
  const abs = path.resolve(cwd, arg);
  const rel = path.relative(repo, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return arg;
  const exists = existsSync(abs) || SOURCE_EXTENSIONS.some((e) => existsSync(abs + e));
  return exists ? rel.split(path.sep).join('/') : arg;
}

/** `--repo` resolved and checked, or the root found from the working directory. */
export function resolveRepo(explicit: string | undefined, cwd: string = process.cwd()): string {
  if (explicit === undefined) return findRepoRoot(cwd);
  const dir = path.resolve(cwd, explicit);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new RepoPathError(`--repo ${explicit}: no such directory`);
  }
  if (!isDir) throw new RepoPathError(`--repo ${explicit}: not a directory`);
  return dir;
}
