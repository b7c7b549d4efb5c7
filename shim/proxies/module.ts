/**
 * Module-level legacy entry points: a compat module that is deprecated as a whole, and duplicate
 * enums (`WebSocketManagerMode`). These are evaluated when the facade module is imported, so the
 * mode is the one in force at import time; strict makes the import itself fail.
 */
import { enter, validateSpec } from './entry.js';
import type { LegacyEntrySpec, ShimOptions } from './entry.js';
import type { ShimMode } from '../modes.js';

/** Call at the top of a compat facade module: counts the import, warns once, throws in strict mode. */
export function enterLegacyModule(spec: LegacyEntrySpec, options?: ShimOptions): ShimMode {
  validateSpec(spec, 'enterLegacyModule', options);
  return enter(spec, options, null).mode;
}

/**
 * A duplicate enum: canonical → the canonical enum (when it has every member with the same
 * value, so comparisons keep working), legacy/shadow → the frozen one.
 */
export function defineLegacyEnum<E extends Record<string, string | number>>(
  spec: LegacyEntrySpec,
  frozen: E,
  canonical: Record<string, string | number>,
  options?: ShimOptions,
): E {
  validateSpec(spec, 'defineLegacyEnum', options);
  const { mode } = enter(spec, options, null);
  if (mode !== 'canonical') return frozen;
  const compatible = Object.entries(frozen).every(([k, v]) => canonical[k] === v);
  return (compatible ? canonical : frozen) as E;
}

/** Any other legacy function: counted, warned and strict-checked; the frozen function serves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function defineLegacyFunction<F extends (...args: any[]) => any>(spec: LegacyEntrySpec, frozen: F, options?: ShimOptions): F {
  validateSpec(spec, 'defineLegacyFunction', options);
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    enter(spec, options, wrapped);
    return frozen.apply(this, args);
  } as unknown as F;
  Object.defineProperty(wrapped, 'name', { value: spec.symbol.split('.').pop() });
  return wrapped;
}
