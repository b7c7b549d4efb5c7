/**
 * Coverage: the evidence that a process ran with the shim, and which deprecation ids it had
 * installed, over a span of time — written even when nothing legacy was called. It is what tells
 * "no use" (covered, zero calls) apart from "no data" (nobody was watching).
 *
 * An id is *installed* in a thread when a facade defines an entry point for it (module
 * evaluation), i.e. the strangled code is loaded and could be called. The set is per thread (per
 * module instance); a worker forwarding to the main thread adds its ids to the main thread's set.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { threadId } from 'node:worker_threads';

// No inline `type` modifiers: they reach the .d.ts, which TypeScript < 4.5 cannot parse.
import { COVERAGE_RECORD_VERSION } from './telemetry-report.js';
import type { CoverageLine } from './telemetry-report.js';
export { COVERAGE_RECORD_VERSION };
export type { CoverageLine };

export interface ProcessIdentity {
  service: string;
  version: string;
  host: string;
  pid: number;
  thread: number | undefined;
}

const installed = new Set<string>();
let installedSorted: string[] | undefined;

/** Records that the strangled code of `id` is loaded in this thread. Cheap after the first call. */
export function noteInstalled(id: string): void {
  if (installed.has(id)) return;
  installed.add(id);
  installedSorted = undefined;
}

/** The ids installed in this thread (sorted). */
export function installedIds(): readonly string[] {
  installedSorted ??= [...installed].sort();
  return installedSorted;
}

function packageJson(dir: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}

/**
 * Who is recording. `SSOT_SHIM_SERVICE` and `SSOT_SHIM_VERSION` (a release or a commit) win;
 * else npm's `npm_package_*` variables, else the working directory's package.json, else the
 * script's file name and "unknown".
 */
export function processIdentity(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ProcessIdentity {
  const pkg = env.SSOT_SHIM_SERVICE && env.SSOT_SHIM_VERSION ? undefined : packageJson(cwd);
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  return {
    service: str(env.SSOT_SHIM_SERVICE) ?? str(env.npm_package_name) ?? str(pkg?.name) ?? (process.argv[1] ? basename(process.argv[1]) : 'node'),
    version: str(env.SSOT_SHIM_VERSION) ?? str(env.npm_package_version) ?? str(pkg?.version) ?? 'unknown',
    host: hostname(),
    pid: process.pid,
    thread: threadId === 0 ? undefined : threadId,
  };
}

export interface CoverageOptions {
  identity?: ProcessIdentity;
  /** How often a heartbeat line is due while the run is up (default 60 s). */
  intervalMs?: number;
  /** Longest silence written into each line for readers (default `intervalMs`; the sink adds its flush period). */
  maxSilenceMs?: number;
  now?: () => number;
  /** Extra ids to report besides this thread's installed ones (tests). */
  ids?: () => readonly string[];
}

/** A pending coverage line and how to make its span count as written. */
export interface CoverageDraft {
  line: string;
  commit(): void;
}

/**
 * The coverage clock of one run: each line covers from the previous written line's end to now,
 * so consecutive lines touch; a failed write is not committed, and the next line covers its span.
 */
export class Coverage {
  readonly identity: ProcessIdentity;
  readonly intervalMs: number;
  readonly maxSilenceMs: number;
  readonly started: number;
  private readonly now: () => number;
  private readonly ids: () => readonly string[];
  private covered: number;
  private ended = false;

  constructor(options: CoverageOptions = {}) {
    this.identity = options.identity ?? processIdentity();
    this.intervalMs = options.intervalMs ?? 60_000;
    this.maxSilenceMs = options.maxSilenceMs ?? this.intervalMs;
    this.now = options.now ?? Date.now;
    this.ids = options.ids ?? installedIds;
    this.started = this.now();
    this.covered = this.started;
  }

  /** Whether a heartbeat is due (no line for `intervalMs`). */
  due(now = this.now()): boolean {
    return !this.ended && now - this.covered >= this.intervalMs;
  }

  /** The line for the span since the last written one; undefined once a final line was written. */
  draft(options: { final?: boolean; reason?: string } = {}): CoverageDraft | undefined {
    if (this.ended) return undefined;
    const end = Math.max(this.now(), this.covered);
    const line: CoverageLine = {
      kind: 'coverage',
      v: COVERAGE_RECORD_VERSION,
      ts: new Date(end).toISOString(),
      service: this.identity.service,
      version: this.identity.version,
      host: this.identity.host,
      pid: this.identity.pid,
      ...(this.identity.thread !== undefined ? { thread: this.identity.thread } : {}),
      started: new Date(this.started).toISOString(),
      ids: [...this.ids()],
      start: new Date(this.covered).toISOString(),
      end: new Date(end).toISOString(),
      intervalMs: this.maxSilenceMs,
      ...(options.final ? { final: true as const } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
    };
    return {
      line: JSON.stringify(line),
      commit: () => {
        this.covered = end;
        if (options.final) this.ended = true;
      },
    };
  }
}
