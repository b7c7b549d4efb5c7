/**
 * Git's own lock files (index.lock, HEAD.lock, refs/heads/<b>.lock, REVERT_HEAD.lock, …): a git
 * killed outright (SIGKILL of the CLI's process group, an OOM kill, a power loss) in the middle of
 * the phase commit or a rollback's revert leaves them behind, and every later git command that
 * writes fails ("Unable to create '.git/index.lock': File exists"). Two uses:
 * - `recover` removes the ones the interrupted operation's git left — created after its journal
 *   began, while no git process runs in the repository — before it restores (a HEAD.lock would
 *   stop it from undoing the commit), and names the others; so does a SIGINT/SIGTERM, after it
 *   ended the operation's git (git removes its locks on SIGTERM, but not in every instant of it);
 *   without /proc, the operation's record of its running gits (git-children.ts) decides instead;
 * - a phase or rollback refuses up front while index.lock or HEAD.lock is there (after waiting a
 *   moment for a git that holds it briefly, an editor's `git status`), instead of failing its
 *   commit after the whole verification.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { gitCommonDirSync, gitDirSync } from '../git/index.js';
import { gitChildAlive, readGitChildren } from './git-children.js';

export interface GitLock {
  /** Absolute path. */
  file: string;
  /** Relative to its git dir, for messages. */
  name: string;
  mtimeMs: number;
}

function commonDirSync(repo: string): string {
  try {
    return realpathSync(gitCommonDirSync(repo));
  } catch {
    return gitDirSync(repo);
  }
}

/** Every `*.lock` git keeps in the git dir (and the common dir of a linked worktree), objects/ and our own lock aside. */
export function gitLockFiles(repo: string): GitLock[] {
  const out: GitLock[] = [];
  const seen = new Set<string>();
  for (const root of new Set([gitDirSync(repo), commonDirSync(repo)])) {
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) {
          // objects: git's packs hold no lock a commit waits on; ours: the ssot-migrate state
          if (!(dir === root && (e.name === 'objects' || e.name === 'ssot-migrate' || e.name === 'worktrees' || e.name === 'modules'))) walk(abs);
        } else if (e.name.endsWith('.lock') && !(dir === root && e.name === 'ssot-migrate.lock') && !seen.has(abs)) {
          seen.add(abs);
          try {
            out.push({ file: abs, name: path.relative(root, abs), mtimeMs: statSync(abs).mtimeMs });
          } catch {
            // gone meanwhile
          }
        }
      }
    };
    walk(root);
  }
  return out;
}

/**
 * Test seam, inert unless set: SSOT_MIGRATE_TEST_PROC_ROOT replaces /proc (a folder that does not
 * exist simulates a system without it, as macOS).
 */
const procRoot = () => process.env.SSOT_MIGRATE_TEST_PROC_ROOT || '/proc';

/**
 * Pids of git processes working in this repository (their cwd inside the work tree or the git
 * dir), from /proc; undefined where /proc cannot tell (not Linux).
 */
export function gitProcessesIn(repo: string): number[] | undefined {
  const proc = procRoot();
  let names: string[];
  try {
    names = readdirSync(proc);
    readFileSync(`${proc}/self/comm`);
  } catch {
    return undefined;
  }
  const roots = [realpathSync(repo), gitDirSync(repo), commonDirSync(repo)];
  const inside = (p: string) => roots.some((r) => p === r || p.startsWith(r + path.sep));
  const out: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!/^git(-|$)/.test(readFileSync(`${proc}/${name}/comm`, 'utf8').trim())) continue;
      if (inside(readlinkSync(`${proc}/${name}/cwd`))) out.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

export interface LocksCleared {
  removed: string[];
  /** Left in place, and why. */
  kept: string[];
  why?: string;
}

/**
 * Removes the git lock files an interrupted operation (begun at `since`) left: those created
 * since, when no git process runs in the repository and the lock is at least `settleMs` old (a
 * lock still there that long after its creation, with no git running, has no writer: one that
 * was about to rename it is given the time). The others are named, not touched. Synchronous: the
 * signal path runs it.
 */
export function clearLocksLeftSince(repo: string, since: number, settleMs = 1000): LocksCleared {
  let locks = gitLockFiles(repo);
  if (!locks.length) return { removed: [], kept: [] };
  const youngest = Math.max(...locks.map((l) => l.mtimeMs));
  const wait = Math.min(settleMs, youngest + settleMs - Date.now());
  if (wait > 0) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    locks = gitLockFiles(repo);
    if (!locks.length) return { removed: [], kept: [] };
  }
  const running = gitProcessesIn(repo);
  if (running === undefined) return clearByRecord(repo, since, locks);
  const ours = locks.filter((l) => l.mtimeMs >= since);
  const older = locks.filter((l) => l.mtimeMs < since).map((l) => l.name);
  if (running.length) return { removed: [], kept: locks.map((l) => l.name), why: `git is running in this repository (pid ${running.join(', ')})` };
  return removeLocks(ours, older, 'older than the interrupted operation: not left by it');
}

/** Removes `ours`; the others (and any that could not go) are named as kept, with `why`. */
function removeLocks(ours: readonly GitLock[], kept: string[], why: string): LocksCleared {
  const removed: string[] = [];
  for (const l of ours) {
    try {
      unlinkSync(l.file);
      removed.push(l.name);
    } catch {
      kept.push(l.name);
    }
  }
  return { removed, kept, ...(kept.length ? { why } : {}) };
}

/** File systems keep mtimes as coarse as 1-2 s (HFS+, FAT): a lock made just after a git started may look older. */
const MTIME_SLACK_MS = 2000;
/** A git the operation started makes its lock files within this time of starting (index.lock first; HEAD.lock and the branch's at the end of a commit). */
const LOCK_WITHIN_MS = 60_000;

/**
 * Without /proc: the interrupted operation's record of the gits it had running (git-children.ts).
 * A lock file is its git's — and removed — when every recorded git is gone (`kill(pid, 0)` fails)
 * and the lock was made after the operation began, no earlier than the first of them started and
 * no later than LOCK_WITHIN_MS after the last one did: while a git holds a lock no other can make
 * it, so a lock made in that window, still there after its maker is gone, has no owner. Anything
 * else is kept and named: no record (no git of the operation was running), a recorded git still
 * alive, a lock outside the window (another git, started later, may hold it).
 */
function clearByRecord(repo: string, since: number, locks: readonly GitLock[]): LocksCleared {
  const names = locks.map((l) => l.name);
  const rec = readGitChildren(repo);
  if (!rec?.children.length) return { removed: [], kept: names, why: 'cannot tell here whether a git process is running (no /proc), and the interrupted operation recorded no git of its own running' };
  const alive = rec.children.filter((c) => gitChildAlive(c.pid)).map((c) => c.pid);
  if (alive.length) return { removed: [], kept: names, why: `the interrupted operation's git is still running (pid ${alive.join(', ')})` };
  const from = Math.max(since, Math.min(...rec.children.map((c) => c.startedAt))) - MTIME_SLACK_MS;
  const to = Math.max(...rec.children.map((c) => c.startedAt)) + LOCK_WITHIN_MS;
  const ours = locks.filter((l) => l.mtimeMs >= from && l.mtimeMs <= to);
  const other = locks.filter((l) => !ours.includes(l)).map((l) => l.name);
  return removeLocks(ours, other, 'not made while the interrupted operation\'s git ran: another git may hold it');
}

/**
 * The locks that would fail a commit (index.lock, HEAD.lock), after waiting up to `waitMs` for a
 * git that holds one briefly; empty when there are none.
 */
export async function commitBlockers(repo: string, waitMs = 2000): Promise<string[]> {
  const dir = gitDirSync(repo);
  const present = () =>
    ['index.lock', 'HEAD.lock'].filter((n) => {
      try {
        statSync(path.join(dir, n));
        return true;
      } catch {
        return false;
      }
    });
  const until = Date.now() + waitMs;
  let left = present();
  while (left.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    left = present();
  }
  return left.map((n) => path.join(dir, n));
}

/** The refusal for `commitBlockers`' answer (undefined when none). */
export function blockersProblem(files: readonly string[]): string | undefined {
  if (!files.length) return undefined;
  return `${files.join(' and ')} exist${files.length === 1 ? 's' : ''}: another git process is working in this repository, or one was killed and left ${files.length === 1 ? 'it' : 'them'} (the commit would fail after the whole verification). Wait for that git to finish; if none is running, delete ${files.length === 1 ? 'it' : 'them'}`;
}
