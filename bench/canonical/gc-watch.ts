/**
 * Garbage collections of this process, for the bench's diagnostics (not on unless a command asks):
 * every collection V8 reports through perf_hooks, as { at: epoch ms of its start (sub-ms, the
 * clock of epochNow), ms: its pause, kind }. Lets a latency run line its slow events up with the
 * server's and the client's pauses.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';

export interface GcEntry {
  at: number;
  ms: number;
  kind: 'minor' | 'major' | 'incremental' | 'weakcb' | 'other';
}

const kindOf = (k: number | undefined): GcEntry['kind'] =>
  k === constants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : k === constants.NODE_PERFORMANCE_GC_MAJOR ? 'major' : k === constants.NODE_PERFORMANCE_GC_INCREMENTAL ? 'incremental' : k === constants.NODE_PERFORMANCE_GC_WEAKCB ? 'weakcb' : 'other';

let observer: PerformanceObserver | undefined;
let entries: GcEntry[] = [];

/** Starts recording (idempotent). */
export function gcWatch(): true {
  if (observer === undefined) {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        entries.push({ at: performance.timeOrigin + e.startTime, ms: e.duration, kind: kindOf((e as unknown as { detail?: { kind?: number } }).detail?.kind) });
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  }
  return true;
}

/** The collections recorded since the last call. */
export function gcTake(): GcEntry[] {
  const out = entries;
  entries = [];
  return out;
}
