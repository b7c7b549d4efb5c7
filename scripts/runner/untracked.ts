/**
 * What a phase (or a rollback step) leaves in the tree besides the files it writes: the verify
 * commands' outputs — a build's `out/`, a test's `coverage/` or new snapshot, a `tsc --build`'s
 * `.tsbuildinfo` — when the repository does not ignore them. The journal records the untracked,
 * not-ignored files (and empty folders) there were when the operation began; when it fails or is
 * interrupted, restoring the tree also takes every untracked, not-ignored file that was not there
 * then out of the tree. The rule:
 *  - an untracked file that existed at the start (by path) is the user's: never touched, even when
 *    a verify command rewrote it;
 *  - a file created since that git ignores (`dist/` in .gitignore) is not part of the tree: left;
 *  - any other file created since is MOVED (never deleted) into the git dir's
 *    `ssot-migrate/set-aside/<operation>/` at its repo-relative path, so a file the user created
 *    meanwhile is not lost, and the outcome, `recover` and `status` name them. A folder emptied by
 *    that, which did not exist at the start, is removed. Nothing deletes a set-aside folder on its
 *    own: `ssot-migrate clean --set-aside` does, when asked (set-aside.ts).
 * Synchronous: the signal path runs it.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { gitDirSync, gitSync } from '../git/index.js';

export interface UntrackedSnapshot {
  /** Untracked, not-ignored files (repo-relative, `/`-separated); a nested repository as `dir/`. */
  files: string[];
  /** Untracked folders holding no file at all, as git lists them with --directory (collapsed: `a/` for a/b/ empty). */
  emptyDirs: string[];
}

export interface SetAside {
  /** Where the files went (absolute, in the git dir). */
  dir: string;
  /** Repo-relative paths moved there. */
  files: string[];
  /** Created since the start but could not be moved (named, left in the tree), with why. */
  left?: string[];
}

function lsOthers(repo: string, extra: string[]): string[] {
  const out = gitSync(repo, ['-c', 'core.quotePath=false', 'ls-files', '--others', '--exclude-standard', '-z', ...extra]);
  return out.split('\0').filter(Boolean);
}

/** Tracked files whose work-tree bytes differ from the index now (`git diff --name-only`). */
export function modifiedTracked(repo: string): string[] {
  // (git diff refreshes the index and may rewrite it: it takes index.lock, so it is recorded like the others)
  return gitSync(repo, ['-c', 'core.quotePath=false', 'diff', '--name-only', '-z'])
    .split('\0')
    .filter(Boolean);
}

/**
 * The untracked, not-ignored files and empty folders now. `files`: those files as a `git status`
 * read just before listed them (TreeStatus.untracked: the same list), so that only the folders
 * are asked for — git lists an empty one only with --directory, which folds a folder of untracked
 * files into one entry.
 */
export function untrackedSnapshot(repo: string, files: readonly string[] = lsOthers(repo, [])): UntrackedSnapshot {
  const listed = new Set(files);
  const holding = new Set<string>();
  for (const f of files) for (let d = path.posix.dirname(f.replace(/\/$/, '')); d !== '.' && !holding.has(d); d = path.posix.dirname(d)) holding.add(d);
  const emptyDirs = lsOthers(repo, ['--directory']).map((p) => p.replace(/\/$/, '')).filter((p) => !holding.has(p) && !listed.has(p) && !listed.has(`${p}/`));
  return { files: [...files], emptyDirs };
}

export function setAsideRoot(repo: string): string {
  return path.join(gitDirSync(repo), 'ssot-migrate', 'set-aside');
}

/** A folder name for one operation's set-aside files: `<startedAt>-<kind>-<phase>`, safe on every filesystem. */
export function setAsideName(kind: string, phase: string, startedAt: string): string {
  return `${startedAt}-${kind}-${phase}`.replace(/[^\w.-]+/g, '-');
}

/**
 * Moves every untracked, not-ignored file created since `start` into the set-aside folder `name`
 * and removes the folders that held only them and did not exist at the start. Undefined when there
 * was none.
 */
export function setAsideCreatedSince(repo: string, start: UntrackedSnapshot, name: string): SetAside | undefined {
  const before = new Set(start.files);
  const created = lsOthers(repo, []).filter((p) => !before.has(p));
  if (!created.length) return undefined;
  const dir = path.join(setAsideRoot(repo), name);
  const moved: string[] = [];
  const left: string[] = [];
  for (const rel of created) {
    const from = path.join(repo, rel);
    const to = path.join(dir, rel);
    try {
      mkdirSync(path.dirname(to), { recursive: true });
      renameSync(from, to);
      moved.push(rel.replace(/\/$/, ''));
    } catch (err) {
      // EXDEV (the git dir on another filesystem), a read-only folder: never deleted instead — named
      if (existsSync(from) || isLink(from)) left.push(`${rel} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  removeEmptiedDirs(repo, moved, start);
  return { dir, files: moved, ...(left.length ? { left } : {}) };
}

/** Folders (deepest first) that held only moved files, unless they existed at the start. */
function removeEmptiedDirs(repo: string, moved: readonly string[], start: UntrackedSnapshot): void {
  const existed = new Set<string>();
  for (const f of start.files) for (let d = path.posix.dirname(f.replace(/\/$/, '')); d !== '.'; d = path.posix.dirname(d)) existed.add(d);
  // git lists a file-less untracked folder collapsed (`mine/` for mine/empty/): all of it is the user's
  const inEmpty = (d: string) => start.emptyDirs.some((e) => d === e || d.startsWith(`${e}/`));
  const candidates = new Set<string>();
  for (const f of moved) for (let d = path.posix.dirname(f); d !== '.'; d = path.posix.dirname(d)) if (!existed.has(d) && !inEmpty(d)) candidates.add(d);
  for (const d of [...candidates].sort((a, b) => b.length - a.length)) {
    const abs = path.join(repo, d);
    try {
      // a folder with a tracked file, an ignored file or anything new of the user's is not empty: kept
      if (readdirSync(abs).length === 0) rmdirSync(abs);
    } catch {
      // gone, or not a folder any more
    }
  }
}

function isLink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/** One line for messages: how many files went where, the first few named. */
export function changedTrackedText(paths: readonly string[]): string {
  return `${paths.length} tracked file(s) changed during it that it did not write are left as they are (a verify command, or an edit of yours; \`git diff\` shows them): ${paths.slice(0, 10).join(', ')}${paths.length > 10 ? ', …' : ''}`;
}

export function setAsideText(s: SetAside): string {
  const names = `${s.files.slice(0, 10).join(', ')}${s.files.length > 10 ? `, … (${s.files.length})` : ''}`;
  const moved = s.files.length ? `moved ${s.files.length} untracked file(s) created during it (verify outputs; not ignored by git) out of the tree, to ${s.dir}: ${names}` : '';
  const left = s.left?.length ? `${moved ? '; ' : ''}could not move ${s.left.length} file(s) created during it, left in the tree: ${s.left.join(', ')}` : '';
  return moved + left;
}
