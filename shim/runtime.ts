/**
 * A shim runtime bundles what every proxy needs: the mode registry (with its sources), the
 * telemetry store (with its JSONL sink) and the once-per-site warnings. The process-wide default
 * is built on first use from the environment; tests and embedders build their own.
 *
 * Environment:
 *   SSOT_SHIM            modes, e.g. "WSM001=legacy,*=canonical"
 *   SSOT_SHIM_TOGGLES    toggles file to watch (default .ssot/shim-toggles.json; "off" disables)
 *   SSOT_SHIM_TELEMETRY  JSONL file to append to (default .ssot/telemetry/shim-<host>-<pid>.jsonl; "off" disables)
 *   SSOT_SHIM_TELEMETRY_INTERVAL_MS  flush period (default 5000)
 *   SSOT_SHIM_COVERAGE_INTERVAL_MS   longest time between two coverage lines (default 60000)
 *   SSOT_SHIM_SERVICE, SSOT_SHIM_VERSION  who reports coverage (default: package.json in the working directory)
 *
 * In a worker thread the default runtime posts its use to the main thread's runtime when that one
 * runs (shim/telemetry-workers.ts), else it writes its own file (`…-t<threadId>.jsonl`).
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import type { WarningEmitter } from './warnings.js';
import { DeprecationWarnings } from './warnings.js';
import { ModeRegistry, parseModeSpec } from './modes.js';
import { Telemetry } from './telemetry.js';
import { JsonlSink } from './telemetry-sink.js';
import type { JsonlSinkOptions } from './telemetry-sink.js';
import { watchTogglesFile } from './toggles-watch.js';
import type { TogglesWatcher, TogglesWatchOptions } from './toggles-watch.js';
import { defaultTogglesPath } from './toggles-file.js';
import { ShadowLog } from './proxies/shadow.js';

export interface ShimRuntime {
  readonly modes: ModeRegistry;
  readonly telemetry: Telemetry;
  readonly warnings: DeprecationWarnings;
  /** Mismatches found in shadow mode. */
  readonly shadow: ShadowLog;
  readonly sink: JsonlSink | undefined;
  readonly toggles: TogglesWatcher | undefined;
  /** Stops watching and writes pending telemetry. */
  close(): Promise<void>;
}

export interface ShimRuntimeOptions {
  /** Mode spec in SSOT_SHIM syntax (the `env` source). */
  env?: string;
  /** Toggles file to watch. */
  togglesFile?: string;
  togglesWatch?: TogglesWatchOptions;
  /** JSONL telemetry file. Without one, a sink still exists if `sink` collects or forwards worker use. */
  telemetryFile?: string;
  sink?: JsonlSinkOptions;
  maxSites?: number;
  /** Replaces process.emitWarning (tests). */
  emitWarning?: WarningEmitter;
  now?: () => number;
}

export function createShimRuntime(options: ShimRuntimeOptions = {}): ShimRuntime {
  const modes = new ModeRegistry(options.now ? { now: options.now } : {});
  if (options.env) modes.replaceLayer('env', parseModeSpec(options.env), { initial: true });
  const telemetry = new Telemetry({
    ...(options.maxSites !== undefined ? { maxSites: options.maxSites } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const warnings = new DeprecationWarnings(options.emitWarning ? { emit: options.emitWarning } : {});
  const moves = options.sink?.collectWorkers === true || options.sink?.forwardToMain === true;
  const sink = options.telemetryFile || moves ? new JsonlSink(telemetry, options.telemetryFile, options.sink) : undefined;
  const toggles = options.togglesFile ? watchTogglesFile(modes, options.togglesFile, options.togglesWatch) : undefined;
  return {
    modes,
    telemetry,
    warnings,
    shadow: new ShadowLog(),
    sink,
    toggles,
    async close() {
      toggles?.close();
      await sink?.close();
    },
  };
}

/** Options for the default runtime, read from the environment. A bad SSOT_SHIM is reported, not thrown at a caller. */
export function runtimeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ShimRuntimeOptions {
  const options: ShimRuntimeOptions = {};
  if (env.SSOT_SHIM) {
    try {
      parseModeSpec(env.SSOT_SHIM);
      options.env = env.SSOT_SHIM;
    } catch (error) {
      process.emitWarning(`SSOT_SHIM ignored: ${(error as Error).message}`, { type: 'SsotShimToggleWarning' });
    }
  }
  if (env.SSOT_SHIM_TOGGLES !== 'off') options.togglesFile = defaultTogglesPath(env);
  // Worker threads hand their use to the main thread's runtime, also without a file (Prometheus).
  const sink: JsonlSinkOptions = isMainThread ? { collectWorkers: true } : { forwardToMain: true };
  if (env.SSOT_SHIM_TELEMETRY !== 'off') {
    const file = resolve(env.SSOT_SHIM_TELEMETRY || `.ssot/telemetry/shim-${hostname()}-${process.pid}.jsonl`);
    // A worker thread that writes its own file never shares one with other threads.
    options.telemetryFile = isMainThread ? file : file.replace(/(\.jsonl)?$/, `-t${threadId}$1`);
    const interval = Number(env.SSOT_SHIM_TELEMETRY_INTERVAL_MS);
    if (env.SSOT_SHIM_TELEMETRY_INTERVAL_MS && Number.isFinite(interval) && interval >= 0) sink.intervalMs = interval;
    const coverage = Number(env.SSOT_SHIM_COVERAGE_INTERVAL_MS);
    if (env.SSOT_SHIM_COVERAGE_INTERVAL_MS && Number.isFinite(coverage) && coverage > 0) sink.coverageIntervalMs = coverage;
  }
  options.sink = sink;
  return options;
}

let current: ShimRuntime | undefined;

/** The process-wide runtime, created from the environment on first use. */
export function getShimRuntime(): ShimRuntime {
  current ??= createShimRuntime(runtimeOptionsFromEnv());
  return current;
}

/** Replaces the process-wide runtime (returns the previous one, not closed). */
export function setShimRuntime(runtime: ShimRuntime | undefined): ShimRuntime | undefined {
  const previous = current;
  current = runtime;
  return previous;
}
