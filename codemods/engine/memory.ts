/**
 * A full garbage collection at the points where a phase drops one large structure and is about
 * to build the next (a ts-morph project, then the type guard's program; one guard round's
 * checker, then the next's). V8 otherwise grows the heap for the new one before it collects the
 * old, and the phase's peak RSS becomes the sum of both instead of the larger (measured at
 * 5,000 files: remove-adapters 1.98x one `tsc --noEmit` without it). The collector is reached
 * through V8's own flag, as `node --expose-gc` would; if that is refused, this does nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      // the flag back as it was (the function stays): V8 keys its code caches by the flags' hash,
      // so a cache written at exit with --expose-gc on was refused by every later start
      // (typescript.js's, the bundle's: manifest/ts-load.js), each then compiled and rewrote it
      setFlagsFromString('--no-expose-gc');
      collect = typeof gc === 'function' ? () => (gc as () => void)() : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
