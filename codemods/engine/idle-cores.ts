import { cpus } from 'node:os';

/**
 * How many cores other processes kept busy over a recent stretch of time: the engine asks before
 * it starts a pool worker (engine/run.ts), since a worker only pays on a core nothing else uses. A
 * worker costs ~1.4 s of CPU of its own on the bench's 20,000-file run (its start-up,
 * typescript.js and a second JIT warm-up of the parser in its own isolate, V8's compiler threads
 * for it, the texts and results copied between threads): in process that run took 3.7 s of CPU,
 * with the worker 5.1 s (medians of 4 alternated pairs while other processes kept the 2 cores
 * busy). When they do, the worker's CPU comes out of the same cores and makes the run slower (wall
 * 7.4 s in process vs 9.0 s with it, same pairs); with a core to spare it can make it faster —
 * from 3 cores: on 2, V8's background threads already use the second (engine/run.ts autoWorkerCount).
 *
 * Measured as the machine's busy time minus this process's own (all its threads: V8's compiler
 * and GC threads keep a second core partly busy during start-up, which is not a reason to go
 * without a worker).
 */
export interface CpuSample {
  /** performance.now() when taken (ms). */
  at: number;
  /** Idle time summed over every core (ms; on Linux from /proc/stat, in 10 ms ticks). */
  idleMs: number;
  cores: number;
  /** This process's CPU time so far, every thread (ms). */
  ownMs: number;
}

export function sampleCpu(): CpuSample | undefined {
  try {
    const cs = cpus();
    if (cs.length === 0) return undefined;
    let idle = 0;
    for (const c of cs) idle += c.times.idle;
    const u = process.cpuUsage();
    return { at: performance.now(), idleMs: idle, cores: cs.length, ownMs: (u.user + u.system) / 1000 };
  } catch {
    return undefined;
  }
}

/** Shortest stretch judged: /proc/stat counts in 10 ms ticks. */
export const MIN_WINDOW_MS = 100;

/**
 * Cores other processes kept busy on average since `since` (0: none; 1.5: one and a half), or
 * undefined when it cannot be told (no sample, or less than MIN_WINDOW_MS ago).
 */
export function othersBusyCoresSince(since: CpuSample | undefined): number | undefined {
  if (since === undefined) return undefined;
  const now = sampleCpu();
  if (now === undefined || now.cores !== since.cores) return undefined;
  const ms = now.at - since.at;
  if (ms < MIN_WINDOW_MS) return undefined;
  const busy = now.cores * ms - Math.max(0, now.idleMs - since.idleMs);
  return Math.max(0, busy - (now.ownMs - since.ownMs)) / ms;
}
