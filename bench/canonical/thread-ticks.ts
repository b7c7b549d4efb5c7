/**
 * CPU ticks (user + system, 1/100 s) of a process's main thread and of its other threads (V8's GC
 * helpers, libuv's pool), from /proc: process.cpuUsage() counts both, the event loop only waits for
 * the first. Linux only (the bench's A/B and latency probes).
 */
import { readdirSync, readFileSync } from 'node:fs';

export function threadTicks(pid: number): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let f: string[];
    try {
      f = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    } catch {
      continue; // a thread that ended meanwhile
    }
    const ticks = Number(f[11]) + Number(f[12]);
    if (Number(tid) === pid) main += ticks;
    else other += ticks;
  }
  return { main, other };
}
