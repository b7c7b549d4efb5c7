/**
 * One ssot-migrate operation per repository at a time: a lock file in the git dir, created with
 * O_EXCL (atomic), holding the holder's pid, start time and command. A second run, rollback or
 * recover on the same repo is refused naming the holder; a lock whose pid is no longer running
 * (a SIGKILL, a crash) is reported as stale and taken over.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitDirSync } from '../git/index.js';

export interface LockInfo {
  pid: number;
  startedAt: string;
  command: string;
  host: string;
}

export class LockError extends Error {
  constructor(message: string, readonly holder?: LockInfo) {
    super(message);
    this.name = 'LockError';
  }
}

export interface RepoLock {
  file: string;
  info: LockInfo;
  /** Set when a stale lock (dead holder) was found and replaced: what it said. */
  stale?: string;
  release(): void;
}

// The repository's git dir (per worktree), synchronously: the signal path needs it too.
export { gitDirSync };

export function lockFile(repo: string): string {
  return path.join(gitDirSync(repo), 'ssot-migrate.lock');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(file: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    if (typeof v.pid !== 'number') return undefined;
    return { pid: v.pid, startedAt: String(v.startedAt ?? '?'), command: String(v.command ?? '?'), host: String(v.host ?? '?') };
  } catch {
    return undefined;
  }
}

export function describeHolder(h: LockInfo): string {
  return `pid ${h.pid}${h.host !== os.hostname() ? ` on ${h.host}` : ''}, started ${h.startedAt}, \`${h.command}\``;
}

/** The holder when it is still running (same host), else undefined. */
export function liveHolder(repo: string): LockInfo | undefined {
  const info = readLock(lockFile(repo));
  return info && (info.host !== os.hostname() || isAlive(info.pid)) ? info : undefined;
}

function tryCreate(file: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${JSON.stringify(info)}\n`);
  } catch (err) {
    // a disk full: an empty lock file would hold the repo until the next command calls it garbage
    closeSync(fd);
    rmSync(file, { force: true });
    throw err;
  }
  closeSync(fd);
  return true;
}

/** Takes the repository's lock or throws LockError naming the holder. */
export function acquireRepoLock(repo: string, command: string): RepoLock {
  const file = lockFile(repo);
  mkdirSync(path.dirname(file), { recursive: true });
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString(), command, host: os.hostname() };
  let stale: string | undefined;
  const create = () => {
    try {
      return tryCreate(file, info);
    } catch (err) {
      throw new LockError(`could not create the lock file ${file} (${(err as Error).message}); nothing was run`);
    }
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (create()) {
      let released = false;
      return {
        file,
        info,
        ...(stale ? { stale } : {}),
        release() {
          if (released) return;
          released = true;
          // Only our own lock: never remove one another process took over.
          if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    }
    const holder = readLock(file);
    if (!holder) {
      // Being written right now, or garbage: give a writer a moment, then treat garbage as stale.
      if (attempt < 2) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        continue;
      }
      unlinkIfSame(file, undefined);
      stale = `removed an unreadable lock file ${file}`;
      continue;
    }
    if (holder.pid === process.pid) throw new LockError(`this process already holds the lock on ${repo} (${file})`, holder);
    if (holder.host !== os.hostname() || isAlive(holder.pid)) {
      throw new LockError(`another ssot-migrate operation holds the lock on this repository (${describeHolder(holder)}); wait for it to finish. Lock file: ${file}`, holder);
    }
    unlinkIfSame(file, holder);
    stale = `found a stale lock (${describeHolder(holder)}; that process is no longer running) and took it over`;
  }
  throw new LockError(`could not take the lock ${file}`);
}

/** Removes the lock file only if it still says what we read (rename first, so a fresh lock is not lost). */
function unlinkIfSame(file: string, seen: LockInfo | undefined): void {
  const pause = Number(process.env.SSOT_MIGRATE_TEST_LOCK_PAUSE_MS ?? 0);
  if (pause > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return;
  }
  const now = readLock(aside);
  if (seen && now && (now.pid !== seen.pid || now.startedAt !== seen.startedAt) && !existsSync(file)) renameSync(aside, file);
  else unlinkSync(aside);
}
