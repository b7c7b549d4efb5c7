/**
 * Appends telemetry to a JSONL file: use deltas every interval, a coverage line with them (and at
 * least every coverage interval, calls or not), and a last flush when the process ends — at exit,
 * at `beforeExit`, and on SIGTERM / SIGINT / SIGHUP without changing how the process ends
 * (shim/exit-hooks.ts).
 *
 * Writes are synchronous appends of whole lines: a signal can arrive at any moment, and an
 * asynchronous append still in flight then would hold lines that are neither on disk nor in
 * memory any more. A few KB every few seconds costs well under a millisecond.
 *
 * A failing write never reaches the caller: it is reported once per failure streak and its lines
 * are kept (in the counters, so memory stays bounded) for the next attempt; the coverage span is
 * not advanced, so the next line covers the failed one's span too. After a failure the next write
 * starts with a newline, so a partially written line cannot glue onto a good one; readers skip
 * the fragment.
 *
 * In a worker thread (`forwardToMain`), use goes to the main thread's collector when there is one
 * (shim/telemetry-workers.ts), else to this file. In the main thread (`collectWorkers`), what
 * workers posted is merged before each write.
 *
 * Loss bound: SIGKILL or a native crash loses the use since the last write (at most one
 * interval) and leaves the run without a final coverage line, which readers treat as a gap.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExitFlush } from './exit-hooks.js';
import { onProcessEnd } from './exit-hooks.js';
import type { CoverageOptions } from './coverage.js';
import { Coverage, installedIds } from './coverage.js';
import type { Telemetry } from './telemetry.js';
import { MainThreadLink, WorkerCollector } from './telemetry-workers.js';

export interface JsonlSinkOptions {
  /** Flush period for use; default 5000 ms. 0 disables the timer (flush by hand or at the end). */
  intervalMs?: number;
  /**
   * Longest time without a coverage line while the run is up; default max(60 s, intervalMs).
   * Readers treat a run silent for longer (and not ended by a final line) as a gap.
   */
  coverageIntervalMs?: number;
  /** Write coverage lines (default true). */
  coverage?: boolean;
  /** Options for the coverage clock (identity, clock; tests). */
  coverageOptions?: Omit<CoverageOptions, 'intervalMs'>;
  /** Called once per failure streak; default: a process warning of type `SsotShimTelemetryWarning`. */
  onError?: (error: unknown, path: string) => void;
  /** Flush at process exit, `beforeExit` and SIGTERM/SIGINT/SIGHUP. Default true. */
  flushOnExit?: boolean;
  /** Main thread: merge what worker threads post (the process-wide runtime does). */
  collectWorkers?: boolean;
  /** Worker thread: post use to the main thread's collector when one answers (the process-wide runtime does). */
  forwardToMain?: boolean;
}

const defaultOnError = (error: unknown, path: string): void => {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`telemetry sink ${path} failed (${message}); will retry, counts are kept`, {
    type: 'SsotShimTelemetryWarning',
  });
};

export class JsonlSink {
  /** Undefined: no file (SSOT_SHIM_TELEMETRY=off) — the sink only moves worker use to the main thread. */
  readonly path: string | undefined;
  private readonly telemetry: Telemetry;
  private readonly onError: (error: unknown, path: string) => void;
  private readonly coverageEnabled: boolean;
  private readonly coverageOptions: CoverageOptions;
  private coverage: Coverage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private needsSeparator = false;
  private closed = false;
  private readonly offProcessEnd: (() => void) | undefined;
  private readonly collector: WorkerCollector | undefined;
  private readonly link: MainThreadLink | undefined;
  private postScheduled = false;
  private wroteCoverage = false;

  constructor(telemetry: Telemetry, path: string | undefined, options: JsonlSinkOptions = {}) {
    this.telemetry = telemetry;
    this.path = path;
    this.onError = options.onError ?? defaultOnError;
    const interval = options.intervalMs ?? 5000;
    this.coverageEnabled = path !== undefined && (options.coverage ?? true);
    const heartbeat = options.coverageIntervalMs ?? Math.max(60_000, interval);
    // The heartbeat is checked at each flush tick, so a line can be up to one tick late.
    this.coverageOptions = { ...options.coverageOptions, intervalMs: heartbeat, maxSilenceMs: heartbeat + interval };
    if (this.coverageEnabled) this.coverage = new Coverage(this.coverageOptions);
    if (options.collectWorkers) this.collector = new WorkerCollector(telemetry);
    if (options.forwardToMain) {
      this.link = new MainThreadLink(() => this.handOver());
      // One post per event-loop turn that had a use: a terminated worker loses at most that turn.
      telemetry.onUse = () => {
        if (this.postScheduled || !this.link?.connected) return;
        this.postScheduled = true;
        setImmediate(() => {
          this.postScheduled = false;
          this.flushSync();
        }).unref();
      };
    }
    if (interval > 0) {
      this.timer = setInterval(() => this.flushSync(), interval);
      // Telemetry must never keep a process alive.
      this.timer.unref();
    }
    if ((options.flushOnExit ?? true) && (path !== undefined || this.link || this.collector)) this.offProcessEnd = onProcessEnd((event) => this.atProcessEnd(event));
  }

  /** Whether the last write failed (and was reported). */
  get isFailing(): boolean {
    return this.failing;
  }

  /** Whether use currently goes to the main thread rather than to this file. */
  get forwarding(): boolean {
    return this.link?.connected === true;
  }

  /** Writes pending use (and coverage when due). Resolves true on success (or nothing to write); never rejects. */
  flush(): Promise<boolean> {
    return Promise.resolve(this.flushSync());
  }

  /** Synchronous flush; `final` writes the run's last coverage line. Never throws. */
  flushSync(end: { final?: boolean; reason?: string } = {}): boolean {
    if (this.closed) return true;
    try {
      this.collector?.pull();
      if (this.link?.connected) return this.post();
      return this.write(end);
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  /** Stops the timer and the exit hooks; writes what is pending with a final coverage line. */
  async close(): Promise<boolean> {
    if (this.closed) return true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.offProcessEnd?.();
    const ok = this.flushSync({ final: true, reason: 'closed' });
    this.collector?.close();
    this.link?.close();
    if (this.link) this.telemetry.onUse = undefined;
    this.closed = true;
    return ok;
  }

  private atProcessEnd(event: ExitFlush): void {
    this.flushSync({ final: event.final, reason: event.reason });
  }

  /** A collector answered: from now on use goes to the main thread, whose coverage covers this thread. */
  private handOver(): void {
    if (this.closed) return;
    // Whatever is pending goes to the file with a final coverage line, so the file's run ends cleanly.
    if (this.coverage && this.wroteCoverage) this.write({ final: true, reason: 'forwarding to the main thread' });
    else this.coverage = undefined;
    this.flushSync();
  }

  private post(): boolean {
    const { deltas, rollback } = this.telemetry.takeDeltas();
    if (this.link!.post(deltas.map(([, d]) => d), installedIds())) return true;
    rollback();
    return this.write({});
  }

  private write(end: { final?: boolean; reason?: string }): boolean {
    // No file: use stays in the counters (Prometheus reads totals, not deltas).
    if (this.path === undefined) return true;
    const batch = this.telemetry.drain();
    if (this.coverageEnabled && !this.coverage && !this.link?.connected) {
      // A worker whose collector went away writes its own file again: a new run.
      this.coverage = new Coverage(this.coverageOptions);
    }
    const wantCoverage = this.coverage !== undefined && (batch.lines.length > 0 || end.final === true || this.coverage.due());
    const draft = wantCoverage ? this.coverage!.draft(end.final ? { final: true, ...(end.reason ? { reason: end.reason } : {}) } : {}) : undefined;
    const lines = draft ? [...batch.lines, draft.line] : batch.lines;
    if (lines.length === 0) return true;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, (this.needsSeparator ? '\n' : '') + lines.join('\n') + '\n');
    } catch (error) {
      batch.rollback();
      this.failed(error);
      return false;
    }
    if (draft) {
      draft.commit();
      this.wroteCoverage = true;
      if (end.final) this.coverage = undefined;
    }
    this.failing = false;
    this.needsSeparator = false;
    return true;
  }

  private failed(error: unknown): void {
    this.needsSeparator = true;
    if (this.failing) return;
    this.failing = true;
    try {
      this.onError(error, this.path ?? '(no file)');
    } catch {
      // The reporter itself failing must not reach the caller either.
    }
  }
}
