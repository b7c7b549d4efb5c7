/**
 * Retention of the set-aside folders (untracked.ts moves a failed or interrupted operation's verify
 * outputs there, never deleting them): nothing removes them on its own — they may hold a file the
 * user created while the phase ran. `status` lists each with its file count, size and age;
 * `ssot-migrate clean --set-aside [--older-than D]` lists what it removes, then removes it, under
 * the repository's lock (a restore in progress may be filling a folder).
 */
import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { acquireRepoLock, LockError } from './lock.js';
import { setAsideRoot } from './untracked.js';

export interface SetAsideFolder {
  /** Absolute path, in the git dir. */
  dir: string;
  /** The folder's name: `<start>-<phase|rollback>-<name>`. */
  name: string;
  files: number;
  bytes: number;
  /** When the operation that set the files aside began (from the name; the folder's mtime for a name that does not carry it), ISO. */
  startedAt: string;
  ageMs: number;
}

/** `2026-12-03T14-19-05.374Z-phase-x` → 2026-12-03T14:19:05.374Z (setAsideName replaced the colons). */
function startOf(name: string): number | undefined {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d(?:\.\d+)?)Z-/.exec(name);
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
  return Number.isNaN(t) ? undefined : t;
}

function measure(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      const sub = measure(abs);
      files += sub.files;
      bytes += sub.bytes;
    } else {
      files++;
      try {
        bytes += lstatSync(abs).size;
      } catch {
        // gone meanwhile
      }
    }
  }
  return { files, bytes };
}

/** The set-aside folders there are, oldest first. */
export function listSetAside(repo: string, now = Date.now()): SetAsideFolder[] {
  let root: string;
  try {
    root = setAsideRoot(repo);
  } catch {
    return [];
  }
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const dir = path.join(root, e.name);
      const started = startOf(e.name) ?? lstatSync(dir).mtimeMs;
      return { dir, name: e.name, ...measure(dir), startedAt: new Date(started).toISOString(), ageMs: Math.max(0, now - started) };
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.name.localeCompare(b.name));
}

export interface CleanResult {
  /** Removed (or, with dryRun, to be removed). */
  removed: SetAsideFolder[];
  /** Younger than olderThanMs: left. */
  kept: SetAsideFolder[];
  /** Another operation holds the repository: nothing removed. */
  refused?: string;
}

/**
 * Removes the set-aside folders older than `olderThanMs` (all without it), or with `dryRun` only
 * says which. `onRemove` is told of each folder just before it goes (the CLI lists them first).
 */
export function cleanSetAside(repo: string, opts: { olderThanMs?: number; dryRun?: boolean; now?: number; onRemove?: (f: SetAsideFolder) => void } = {}): CleanResult {
  let lock;
  try {
    lock = acquireRepoLock(repo, 'ssot-migrate clean --set-aside');
  } catch (err) {
    if (!(err instanceof LockError)) throw err;
    return { removed: [], kept: listSetAside(repo, opts.now), refused: err.message };
  }
  try {
    const all = listSetAside(repo, opts.now);
    const old = (f: SetAsideFolder) => opts.olderThanMs === undefined || f.ageMs > opts.olderThanMs;
    const removed = all.filter(old);
    const kept = all.filter((f) => !old(f));
    if (!opts.dryRun) {
      for (const f of removed) {
        opts.onRemove?.(f);
        rmSync(f.dir, { recursive: true, force: true });
      }
    }
    return { removed, kept };
  } finally {
    lock.release();
  }
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/** 90 000 000 → "1 day"; under a minute: "under a minute". */
export function formatAge(ms: number): string {
  for (const [unit, size] of [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]] as const) {
    if (ms >= size) {
      const n = Math.floor(ms / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return 'under a minute';
}

/** One line per folder, for status and clean. */
export function setAsideLine(f: SetAsideFolder): string {
  return `${f.dir} (${f.files} file(s), ${formatBytes(f.bytes)}, ${formatAge(f.ageMs)} old)`;
}
