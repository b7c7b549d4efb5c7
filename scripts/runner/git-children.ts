/**
 * The git processes an operation has running, recorded in the git dir (`ssot-migrate/git-children.json`:
 * pid, start time, arguments), rewritten as each starts and ends while the operation holds the
 * repository. After a SIGKILL of the CLI (or its group) the record is what the operation left:
 * the gits that were running when it died. Without /proc (macOS, some containers) that is how
 * `recover` tells whether the git that owned a lock file (index.lock, HEAD.lock, …) is gone:
 * `process.kill(pid, 0)` on the recorded pids (git-locks.ts). The record is written through a temp
 * file and rename, so a reader sees a whole one; it is not fsynced (after a power loss no process
 * of before runs, and the locks' age rule decides).
 * The synchronous gits (gitSync: the restore's `reset --soft`, `revert --quit`, `diff`, `ls-files`
 * on the signal path and in `recover`) are recorded too: their entry names a pid file their `sh`
 * fills in just before it becomes git (`git-children.json.sync-<our pid>-<n>`), since the thread
 * is blocked while they run; an entry whose pid file never got written started no git.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAlive } from './lock.js';
import path from 'node:path';
import { gitDirSync, observeGitSpawns, observeSyncGits } from '../git/index.js';

export interface GitChild {
  pid: number;
  /** Epoch ms when it was started. */
  startedAt: number;
  args: string[];
  /** A synchronous git's entry: the file (beside the record) its pid is written to; `pid` is 0 until read. */
  pidFile?: string;
}

export function gitChildrenFile(repo: string): string {
  return path.join(gitDirSync(repo), 'ssot-migrate', 'git-children.json');
}

/**
 * Records every git child the git module starts from now on, for `repo`; returns the function that
 * stops recording and removes the record (the operation ended: none of its gits runs any more).
 */
export function recordGitChildren(repo: string): () => void {
  let file: string;
  try {
    file = gitChildrenFile(repo);
    mkdirSync(path.dirname(file), { recursive: true });
    rmSync(file, { force: true }); // an earlier operation's record is not this one's
    // and the temp a process killed between its write and its rename left
    for (const n of readdirSync(path.dirname(file))) {
      const m = /^git-children\.json\.(?:(\d+)\.tmp|sync-(\d+)-\d+)$/.exec(n);
      if (m && !isAlive(Number(m[1] ?? m[2]))) rmSync(path.join(path.dirname(file), n), { force: true });
    }
  } catch {
    return () => {}; // not a git repository: no lock of git's to attribute
  }
  const running = new Map<number | string, GitChild>();
  const write = () => {
    try {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify([...running.values()])}\n`);
      renameSync(tmp, file);
    } catch {
      // a full disk: without the record, recover keeps (and names) the lock files it cannot attribute
    }
  };
  observeGitSpawns((pid, args) => {
    running.set(pid, { pid, startedAt: Date.now(), args: args.slice(0, 8) });
    write();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      running.delete(pid);
      write();
    };
  });
  let n = 0;
  observeSyncGits((args) => {
    const pidFile = `${file}.sync-${process.pid}-${++n}`;
    rmSync(pidFile, { force: true });
    running.set(pidFile, { pid: 0, startedAt: Date.now(), args: args.slice(0, 8), pidFile: path.basename(pidFile) });
    write();
    return {
      pidFile,
      done() {
        running.delete(pidFile);
        write();
        rmSync(pidFile, { force: true });
      },
    };
  });
  return () => {
    observeGitSpawns(undefined);
    observeSyncGits(undefined);
    rmSync(file, { force: true });
  };
}

/** The recorded gits (running when the record was last written) and when that was; undefined when there is no record. */
export function readGitChildren(repo: string): { children: GitChild[]; writtenAt: number } | undefined {
  try {
    const file = gitChildrenFile(repo);
    const listed = JSON.parse(readFileSync(file, 'utf8')) as GitChild[];
    if (!Array.isArray(listed) || listed.some((c) => typeof c?.pid !== 'number' || typeof c.startedAt !== 'number')) return undefined;
    const children = listed.flatMap((c) => {
      if (typeof c.pidFile !== 'string') return [c];
      const pid = syncPid(path.join(path.dirname(file), path.basename(c.pidFile)));
      return pid ? [{ ...c, pid }] : []; // no pid written: its sh never got to start git
    });
    return { children, writtenAt: statSync(file).mtimeMs };
  } catch {
    return undefined;
  }
}

function syncPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a recorded git is still running: `kill(pid, 0)` succeeds — and, where /proc tells, the
 * process is a git and not a zombie (a container whose pid 1 reaps no orphan keeps them).
 */
export function gitChildAlive(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && /^git(-|$)/.test(comm);
  } catch {
    return true; // no /proc: kill(pid, 0) is all there is
  }
}

/** The recorded gits still running (none without a record). */
export function liveGitChildren(repo: string): GitChild[] {
  return (readGitChildren(repo)?.children ?? []).filter((c) => gitChildAlive(c.pid));
}
