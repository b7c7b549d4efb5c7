/**
 * One ssot-migrate operation per repository at a time: a lock file in the git dir holding the
 * holder's pid, start time and command. A second run, rollback or recover on the same repo is
 * refused naming the holder; a lock whose pid is no longer running (a SIGKILL, a crash) is reported
 * as stale and taken over.
 *
 * Why it is safe with any number of processes racing (lock-race.test.ts), for every lock file F
 * here (the lock, and its takeover guard `F.takeover`, which is itself such a file):
 *  1. F is created only if absent, complete: our record is written to a private temp file, then
 *     link()ed to F (atomic, EEXIST if F exists) — no reader ever sees a half-written lock.
 *  2. F is removed only by its own live holder (release).
 *  3. F is replaced only by rename() over it, by the process holding `F.takeover`, after reading
 *     F under that guard and finding its holder dead (or F unreadable).
 * If at most one process holds `F.takeover`, then between that read and the rename nothing can
 * change F (1 needs F absent, 2 needs the dead holder, 3 needs the guard), so the rename replaces
 * exactly the dead holder's file, never a live one's: at most one live process holds F. The guard
 * is exclusive by the same argument one level up; at the last level (MAX_TAKEOVER_DEPTH) nobody
 * takes over, so there only 1 and 2 apply. A dead holder's F (or guard, left by a process killed
 * mid-takeover) is always recoverable by the next process, up to that depth.
 * On a filesystem without hard links, rule 1 falls back to an O_EXCL create then write; there a
 * file still unreadable after 100 ms is taken for garbage, so a writer stalled that long between
 * its create and its write could lose its lock (as before this guard, everywhere).
 * A process killed between writing its temp record and removing it leaves the temp behind: no rule
 * above reads a temp by name (each process links only its own, unique one), so it is litter, and the
 * next process to hold the lock removes it when its writer is gone (clearLeftoverTemps).
 * (Before: the stale lock was renamed aside, compared and unlinked or renamed back; with three
 * processes, one could rename a fresh lock aside while another created its own, and two held it.)
 */
import { closeSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
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
  /** Set when temp records a killed process left beside the lock were removed: which. */
  cleaned?: string;
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
  const state = readState(file);
  return typeof state === 'object' ? state : undefined;
}

export function describeHolder(h: LockInfo): string {
  return `pid ${h.pid}${h.host !== os.hostname() ? ` on ${h.host}` : ''}, started ${h.startedAt}, \`${h.command}\``;
}

/** The holder when it is still running (same host), else undefined. */
export function liveHolder(repo: string): LockInfo | undefined {
  const info = readLock(lockFile(repo));
  return info && (info.host !== os.hostname() || isAlive(info.pid)) ? info : undefined;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Test seam, inert unless set: SSOT_MIGRATE_TEST_LOCK_PAUSE_MS pauses a takeover right after it
 * judged a holder dead (before the guard, and under it before the replace), so lock-race.test.ts
 * makes the racing processes interleave there every round instead of by luck.
 */
function testPause(): void {
  const ms = Number(process.env.SSOT_MIGRATE_TEST_LOCK_PAUSE_MS ?? 0);
  if (ms > 0) sleep(ms);
}

/**
 * Test seam, inert unless set: SSOT_MIGRATE_TEST_LOCK_TEMP_PAUSE_MS pauses `acquireRepoLock` right
 * after its temp record is written, before the link — saying so on stderr — so a test can SIGKILL a
 * process exactly there (lock-temp.test.ts).
 */
function testTempPause(tmp: string): void {
  const ms = Number(process.env.SSOT_MIGRATE_TEST_LOCK_TEMP_PAUSE_MS ?? 0);
  if (ms <= 0) return;
  process.stderr.write(`ssot-test: lock temp written ${tmp}\n`);
  sleep(ms);
}

/** A temp record no live process can still be using is older than this, whatever it says (a process holds its temp for at most seconds). */
const TEMP_ABANDONED_MS = 10 * 60_000;

/**
 * Removes the temp records (`<lock>[.takeover…].<pid>-<hex>.tmp`) processes killed between writing
 * and removing them left next to the lock: those whose record names a process of this host that is
 * no longer running, and any older than TEMP_ABANDONED_MS (another host's, an empty one). A live
 * process's temp is never removed (its link would fail). The lock logic never reads temps by
 * name — each process links only its own, unique one — so a leftover is litter, not a holder.
 * Returns the names removed.
 */
function clearLeftoverTemps(file: string): string[] {
  const dir = path.dirname(file);
  const pattern = new RegExp(`^${path.basename(file).replace(/[.]/g, '\\.')}(?:\\.takeover)*\\.(\\d+)-[0-9a-f]{8}\\.tmp$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    const abs = path.join(dir, name);
    const record = readState(abs);
    let old = false;
    try {
      old = Date.now() - statSync(abs).mtimeMs > TEMP_ABANDONED_MS;
    } catch {
      continue; // gone meanwhile (its process linked and removed it)
    }
    const dead = typeof record === 'object' && record.host === os.hostname() && record.pid === Number(m[1]) && !isAlive(record.pid);
    if (!dead && !old) continue;
    rmSync(abs, { force: true });
    removed.push(name);
  }
  return removed;
}

/** How many guards deep (`.takeover.takeover…`) a takeover may go: each level is only needed when a process died holding the one below. */
const MAX_TAKEOVER_DEPTH = 4;
/** How long to wait for a live process that is taking over the same stale lock (it holds its guard for microseconds). */
const TAKEOVER_WAIT_MS = 2000;

/** Our record in a private temp file next to `file` (same directory: link and rename stay on one filesystem). */
function writeTemp(file: string, info: LockInfo): string {
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  writeRecord(openSync(tmp, 'wx', 0o644), tmp, info);
  return tmp;
}

/** Writes our record into `fd` (just created at `at`); on a failed write (a full disk) nothing of ours stays behind. */
function writeRecord(fd: number, at: string, info: LockInfo): void {
  try {
    writeSync(fd, `${JSON.stringify(info)}\n`);
  } catch (err) {
    closeSync(fd);
    rmSync(at, { force: true });
    throw err;
  }
  closeSync(fd);
}

/** `file` becomes `tmp`'s content if it does not exist (rule 1); false if it does. */
function linkIfAbsent(tmp: string, file: string, info: LockInfo): boolean {
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // a filesystem without hard links: the O_EXCL create (a reader may see it empty for a moment; it waits)
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
  }
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  writeRecord(fd, file, info);
  return true;
}

/** What `file` holds: absent, unreadable (garbage, or an old version's half-written lock), or a record. */
function readState(file: string): 'absent' | 'unreadable' | LockInfo {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable';
  }
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid !== 'number') return 'unreadable';
    return { pid: v.pid, startedAt: String(v.startedAt ?? '?'), command: String(v.command ?? '?'), host: String(v.host ?? '?') };
  } catch {
    return 'unreadable';
  }
}

const live = (h: LockInfo) => h.host !== os.hostname() || isAlive(h.pid);

/** Removes `file` if it is still ours (rule 2). */
function releaseOwn(file: string, info: LockInfo): void {
  const now = readState(file);
  if (typeof now === 'object' && now.pid === info.pid && now.startedAt === info.startedAt) rmSync(file, { force: true });
}

/**
 * Under `file`'s takeover guard: replaces `file` by `tmp` if its holder is dead or it is unreadable
 * (rule 3). Returns what was replaced, or undefined when there was nothing to take over (absent, or
 * live by now).
 */
function takeOver(file: string, tmp: string, depth: number): LockInfo | 'unreadable' | undefined {
  return withGuard(file, depth, () => {
    const now = readState(file);
    if (now === 'absent' || (typeof now === 'object' && live(now))) return undefined;
    testPause();
    renameSync(tmp, file);
    return now;
  });
}

/** Runs `fn` holding `${file}.takeover` (taking it over in turn from a dead holder, one level deeper). */
function withGuard<T>(file: string, depth: number, fn: () => T): T {
  const guard = `${file}.takeover`;
  if (depth >= MAX_TAKEOVER_DEPTH) throw new LockError(`could not take the lock ${file}: its takeover guards (${guard}…) are held by dead processes; remove them by hand`);
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString(), command: 'ssot-migrate lock takeover', host: os.hostname() };
  const tmp = writeTemp(guard, info);
  try {
    const end = Date.now() + TAKEOVER_WAIT_MS;
    let unreadable = 0;
    for (;;) {
      if (linkIfAbsent(tmp, guard, info)) break;
      const holder = readState(guard);
      if (holder === 'absent') continue;
      if (holder === 'unreadable' && unreadable++ < 2) {
        sleep(50); // being written (a filesystem without hard links), or garbage
        continue;
      }
      if (typeof holder === 'object' && live(holder)) {
        if (Date.now() > end) throw new LockError(`another process is taking over the lock ${file} and has not finished (${describeHolder(holder)}); try again`, holder);
        sleep(2);
        continue;
      }
      if (takeOver(guard, tmp, depth + 1) !== undefined) break;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  try {
    return fn();
  } finally {
    releaseOwn(guard, info);
  }
}

/** Takes the repository's lock or throws LockError naming the holder. */
export function acquireRepoLock(repo: string, command: string): RepoLock {
  const file = lockFile(repo);
  mkdirSync(path.dirname(file), { recursive: true });
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString(), command, host: os.hostname() };
  let tmp: string;
  try {
    tmp = writeTemp(file, info);
  } catch (err) {
    throw new LockError(`could not create the lock file ${file} (${(err as Error).message}); nothing was run`);
  }
  testTempPause(tmp);
  try {
    let stale: string | undefined;
    let held = false;
    let unreadable = 0;
    for (let attempt = 0; attempt < 5 && !held; attempt++) {
      try {
        held = linkIfAbsent(tmp, file, info);
      } catch (err) {
        throw new LockError(`could not create the lock file ${file} (${(err as Error).message}); nothing was run`);
      }
      if (held) break;
      const holder = readState(file);
      if (holder === 'absent') continue; // released meanwhile
      if (holder === 'unreadable') {
        // An older version's lock being written right now, or garbage: give a writer a moment, then treat garbage as stale.
        if (unreadable++ < 2) {
          sleep(50);
          attempt--;
          continue;
        }
      } else {
        if (holder.pid === process.pid) throw new LockError(`this process already holds the lock on ${repo} (${file})`, holder);
        if (live(holder)) {
          throw new LockError(`another ssot-migrate operation holds the lock on this repository (${describeHolder(holder)}); wait for it to finish. Lock file: ${file}`, holder);
        }
      }
      testPause();
      let replaced: LockInfo | 'unreadable' | undefined;
      try {
        replaced = takeOver(file, tmp, 0);
      } catch (err) {
        if (err instanceof LockError) throw err;
        throw new LockError(`could not take over the lock file ${file} (${(err as Error).message}); nothing was run`);
      }
      if (replaced === undefined) continue; // gone or live by now: look again
      held = true;
      stale = replaced === 'unreadable' ? `removed an unreadable lock file ${file}` : `found a stale lock (${describeHolder(replaced)}; that process is no longer running) and took it over`;
    }
    if (!held) throw new LockError(`could not take the lock ${file}`);
    // Holding the lock: the temp records killed processes left beside it go (never a live one's)
    const leftovers = clearLeftoverTemps(file);
    const cleaned = leftovers.length ? `removed ${leftovers.length} temp lock record(s) a killed process left in ${path.dirname(file)}: ${leftovers.join(', ')}` : undefined;
    let released = false;
    return {
      file,
      info,
      ...(stale ? { stale } : {}),
      ...(cleaned ? { cleaned } : {}),
      release() {
        if (released) return;
        released = true;
        // Only our own lock: never remove one another process took over.
        if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
      },
    };
  } finally {
    rmSync(tmp, { force: true });
  }
}
