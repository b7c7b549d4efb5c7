/**
 * Pins a server process and this process to different CPUs for a bench (`taskset`), and undoes it for this
 * process. Why: in production a server such as Redis runs on its own core or host; whether the OS puts it
 * on the bench process's core is scheduling luck, and it swung the redis-bus ratio by ~1.5x between runs.
 */
import { execFileSync } from 'node:child_process';

export interface Pinning {
  /** What was done, for a bench row's notes: the CPUs, or why nothing was pinned. */
  readonly note: string;
  /** Gives this process (all its threads) its affinity back; the server is left as pinned. */
  restore(): void;
}

function taskset(args: string[]): string {
  return execFileSync('taskset', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** "0,2-3" -> [0, 2, 3] */
function parseCpuList(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number);
    if (to === undefined) return [from!];
    return Array.from({ length: to - from! + 1 }, (_, i) => from! + i);
  });
}

/**
 * Pins `serverPid` (all its threads) to one CPU this process may run on and this process (all its threads,
 * `taskset -a`) to another. Falls back to pinning nothing when there are fewer than two such CPUs or
 * `taskset` fails (missing, not permitted); the note says which.
 */
export function pinApart(serverPid: number, serverName: string): Pinning {
  const self = process.pid;
  let mask: string;
  let cpus: number[];
  try {
    mask = /mask:\s*([0-9a-f,]+)/i.exec(taskset(['-p', String(self)]))![1]!;
    cpus = parseCpuList(/list:\s*([\d,-]+)/.exec(taskset(['-c', '-p', String(self)]))![1]!);
  } catch (err) {
    return { note: `not pinned (taskset unavailable: ${(err as Error).message.split('\n')[0]})`, restore() {} };
  }
  if (cpus.length < 2) return { note: `not pinned (only CPU ${cpus.join(',')} available)`, restore() {} };
  const [benchCpu, serverCpu] = [cpus[0]!, cpus[1]!];
  try {
    taskset(['-a', '-c', '-p', String(serverCpu), String(serverPid)]);
    taskset(['-a', '-c', '-p', String(benchCpu), String(self)]);
  } catch (err) {
    try {
      taskset(['-a', '-p', mask, String(self)]);
    } catch {
      // nothing more to undo
    }
    return { note: `not pinned (taskset failed: ${(err as Error).message.split('\n')[0]})`, restore() {} };
  }
  return {
    note: `pinned: ${serverName} on CPU ${serverCpu}, the bench process (all threads) on CPU ${benchCpu}`,
    restore() {
      taskset(['-a', '-p', mask, String(self)]);
    },
  };
}
