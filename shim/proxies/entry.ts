/**
 * What every legacy entry point does first, once per construction or call: read the id's mode,
 * capture the call site, count it, warn once per site, and throw in strict mode.
 */
import type { ConnectionHub } from '../../canonical/core.js';
import { getDefaultHub } from '../../canonical/core.js';
import type { CallSiteInfo } from '../call-site.js';
import { captureCallSite, registerFacadeFile } from '../call-site.js';
import { noteInstalled } from '../coverage.js';
import { DeprecatedApiError, ShimConfigError } from '../errors.js';
import type { ShimMode } from '../modes.js';
import { assertModeId } from '../modes.js';
import type { ShimRuntime } from '../runtime.js';
import { getShimRuntime } from '../runtime.js';
import type { SiteRecord } from '../telemetry.js';

/** Describes one legacy entry point (one exported name of a legacy module). */
export interface LegacyEntrySpec {
  /** Deprecation id from the manifest, e.g. "WSM001". */
  id: string;
  /** The legacy name, e.g. "Manager" or "ManagerFactory.getInstance" (from the manifest and the code). */
  symbol: string;
  /** Human text naming the replacement (the manifest's `replacement`). */
  replacement: string;
  /** The facade module's `import.meta.url`: its frames are skipped so sites name the real callers. */
  facade?: string;
}

export interface ShimOptions {
  /** Runtime to use; default the process-wide one (read at each construction). */
  runtime?: ShimRuntime | (() => ShimRuntime);
  /** Canonical hub; default canonical's process-wide hub (read at each construction). */
  hub?: ConnectionHub | (() => ConnectionHub);
  /** In shadow mode, which side serves (default "legacy": the known behaviour serves while canonical is checked). */
  shadowPrimary?: 'legacy' | 'canonical';
  /**
   * The mode of this id when no source (API, toggles file, SSOT_SHIM) names it or `*`. Strangle
   * sets `legacy` when the repo uses a member the manifest does not map yet.
   */
  defaultMode?: ShimMode;
}

export interface Entry {
  mode: ShimMode;
  site: CallSiteInfo | undefined;
  record: SiteRecord;
  runtime: ShimRuntime;
}

/**
 * Checks a spec when a facade defines an entry point, and records that its id is installed: the
 * strangled code is loaded here. With the process-wide runtime, that runtime starts now, so the
 * process reports coverage from the start even if nothing legacy is ever called.
 */
export function validateSpec(spec: LegacyEntrySpec, kind: string, options?: ShimOptions): void {
  if (!spec || typeof spec !== 'object') throw new ShimConfigError(`${kind}: spec must be an object`);
  assertModeId(spec.id, `${kind} spec.id`);
  if (typeof spec.symbol !== 'string' || spec.symbol === '') throw new ShimConfigError(`${kind} ${spec.id}: spec.symbol must be a non-empty string`);
  if (typeof spec.replacement !== 'string' || spec.replacement === '') {
    throw new ShimConfigError(`${kind} ${spec.id}: spec.replacement must name what to use instead`);
  }
  if (spec.facade !== undefined) registerFacadeFile(spec.facade);
  noteInstalled(spec.id);
  if (options?.runtime === undefined) {
    try {
      getShimRuntime();
    } catch {
      // Telemetry never breaks an import; the first call will try again.
    }
  }
}

export function resolveRuntime(options: ShimOptions | undefined): ShimRuntime {
  const r = options?.runtime;
  return r === undefined ? getShimRuntime() : typeof r === 'function' ? r() : r;
}

export function resolveHub(options: ShimOptions | undefined): ConnectionHub {
  const h = options?.hub;
  return h === undefined ? getDefaultHub() : typeof h === 'function' ? h() : h;
}

/** The id's mode right now: the facade's default when no source names it (nor `*`). */
export function modeOf(id: string, options: ShimOptions | undefined, runtime: ShimRuntime): ShimMode {
  return options?.defaultMode !== undefined && !runtime.modes.names(id) ? options.defaultMode : runtime.modes.get(id);
}

/**
 * Reads the mode (once: the caller pins it to what it builds), captures the site (`above` is the
 * public entry function, so V8 drops the shim's own frames before collecting), counts, warns,
 * and throws DeprecatedApiError in strict mode.
 */
export function enter(spec: LegacyEntrySpec, options: ShimOptions | undefined, above: Function | null): Entry {
  const runtime = resolveRuntime(options);
  const mode = modeOf(spec.id, options, runtime);
  // null: a module-level entry (import time), where the stack shows only the module loader.
  const site = above === null ? undefined : captureCallSite(above);
  let record: SiteRecord;
  try {
    record = runtime.telemetry.hit(spec.id, spec.symbol, mode, site);
  } catch {
    // Telemetry never breaks a call: count into a throwaway record.
    record = { id: spec.id, symbol: spec.symbol, mode, site, overflow: true, count: 1, methodCalls: 0, firstSeen: 0, lastSeen: 0, flushedCount: 0, flushedMethodCalls: 0 };
  }
  if (mode === 'strict') throw new DeprecatedApiError(spec.id, spec.symbol, site, spec.replacement);
  // Not guarded: --no-deprecation / --throw-deprecation (Node throws it on the next tick) must apply.
  runtime.warnings.warn({ id: spec.id, symbol: spec.symbol, site, replacement: spec.replacement });
  return { mode, site, record, runtime };
}
