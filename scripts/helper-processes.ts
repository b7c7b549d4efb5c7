/**
 * No process outlives the CLI. What a run leaves behind when the CLI's own work is done: the
 * esbuild service that tsx starts (in the main thread and in every codemod worker thread, when the
 * toolkit runs from its TypeScript sources — a linked checkout), a git child still exiting, the
 * stragglers of a verify command. The bin ends every descendant before it exits — on success, on
 * error, and (synchronously) on SIGINT/SIGTERM — and waits until they are gone, so the CLI's
 * process group is empty when its exit status is known.
 *
 * Only the bin does this: `main()` called in process (the root export, tests) must not touch its
 * host's children. Descendants are read from /proc (Linux); elsewhere none are found and this
 * does nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  state: string;
}

/** A process's state and parent from /proc/<pid>/stat ("pid (comm) state ppid …"; comm may hold spaces and parentheses), or undefined when it is gone. */
function procStat(pid: number | string): Omit<Proc, 'pid'> | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0]!, ppid: Number(rest[1]) };
  } catch {
    return undefined; // gone meanwhile
  }
}

function readProcs(): Proc[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: Proc[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(name);
    if (st) out.push({ pid: Number(name), ...st });
  }
  return out;
}

/** Every live (non-zombie) descendant of `root`, children first. */
export function descendants(root: number = process.pid): number[] {
  const procs = readProcs();
  const byParent = new Map<number, Proc[]>();
  for (const p of procs) {
    const siblings = byParent.get(p.ppid);
    if (siblings) siblings.push(p);
    else byParent.set(p.ppid, [p]);
  }
  const out: number[] = [];
  const walk = (pid: number): void => {
    for (const c of byParent.get(pid) ?? []) {
      if (c.state !== 'Z') out.push(c.pid);
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

/** A process that is gone, or (`zombieToo`) a zombie: exited, its status not yet collected. */
function gone(pid: number, zombieToo = false): boolean {
  const st = procStat(pid);
  return st === undefined || (zombieToo && st.state === 'Z');
}

/**
 * Ends every descendant of this process: SIGTERM, then SIGKILL for any still there after
 * `graceMs`, and waits (the event loop running, so Node collects the exit statuses of its own
 * children) until none is left. Returns the pids it had to end.
 */
export async function endHelperProcesses(graceMs = 1000): Promise<number[]> {
  const pids = descendants();
  if (!pids.length) return [];
  signalAll(pids, 'SIGTERM');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const until = Date.now() + graceMs;
  while (Date.now() < until && !pids.every((p) => gone(p))) await sleep(10);
  const left = [...pids.filter((p) => !gone(p, true)), ...descendants()];
  if (left.length) signalAll(left, 'SIGKILL');
  const hard = Date.now() + 2000;
  while (Date.now() < hard && (!pids.every((p) => gone(p)) || descendants().length)) await sleep(10);
  // Give Node a turn to collect the exit statuses (no zombie left in the group).
  await sleep(0);
  return pids;
}

/**
 * The same from a signal handler, which must not let the interrupted flow run again: SIGKILL to
 * every descendant, then a blocking wait (up to `waitMs`) until each is gone or a zombie. With
 * `graceMs`, SIGTERM first and a blocking wait of up to that long before the SIGKILL: a git
 * killed outright in the middle of a commit leaves its lock files (index.lock, HEAD.lock, the
 * branch's .lock) and every later git command in the repo fails; on SIGTERM git removes them.
 */
export function endHelperProcessesSync(waitMs = 1000, graceMs = 0): void {
  const pids = descendants();
  if (!pids.length) return;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  if (graceMs > 0) {
    signalAll(pids, 'SIGTERM');
    const grace = Date.now() + graceMs;
    while (Date.now() < grace && !pids.every((p) => gone(p, true))) Atomics.wait(cell, 0, 0, 10);
  }
  const left = [...pids.filter((p) => !gone(p, true)), ...descendants().filter((p) => !pids.includes(p))];
  signalAll(left, 'SIGKILL');
  const until = Date.now() + waitMs;
  while (Date.now() < until && !left.every((p) => gone(p, true))) Atomics.wait(cell, 0, 0, 10);
}
