/**
 * Which repository a command works on: `--repo DIR` when given (it must be an existing
 * directory), else the root found from the working directory — the nearest folder holding
 * ssot.config.json, up to the git top level; else the git top level; else the working directory.
 * So the CLI works from any subfolder of a repository, as git does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE } from '../manifest/index.js';

/** A --repo that is not a directory: a user error, reported without a stack. */
export class RepoPathError extends Error {}

function gitTopLevel(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? path.resolve(r.stdout.trim()) : undefined;
}

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
