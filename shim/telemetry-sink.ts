/**
 * Appends telemetry deltas to a JSONL file, periodically and at process exit. Each write is one
 * append of whole lines. A failing write never reaches the caller: it is reported once per
 * failure streak and its lines are kept (in the counters, so memory stays bounded) for the next
 * attempt. After a failure the next write starts with a newline, so a partially written line
 * cannot glue onto a good one; readers skip the fragment.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Telemetry } from './telemetry.js';

export interface JsonlSinkOptions {
  /** Flush period; default 5000 ms. 0 disables the timer (flush by hand or at exit). */
  intervalMs?: number;
  /** Called once per failure streak; default: a process warning of type `SsotShimTelemetryWarning`. */
  onError?: (error: unknown, path: string) => void;
  /** Write at process exit (synchronously). Default true. */
  flushOnExit?: boolean;
}

const defaultOnError = (error: unknown, path: string): void => {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`telemetry sink ${path} failed (${message}); will retry, counts are kept`, {
    type: 'SsotShimTelemetryWarning',
  });
};

export class JsonlSink {
  readonly path: string;
  private readonly telemetry: Telemetry;
  private readonly onError: (error: unknown, path: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private needsSeparator = false;
  private inFlight: Promise<boolean> | undefined;
  private readonly exitHook = () => {
    this.flushSync();
  };

  constructor(telemetry: Telemetry, path: string, options: JsonlSinkOptions = {}) {
    this.telemetry = telemetry;
    this.path = path;
    this.onError = options.onError ?? defaultOnError;
    const interval = options.intervalMs ?? 5000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.flush(), interval);
      // Telemetry must never keep a process alive.
      this.timer.unref();
    }
    if (options.flushOnExit ?? true) process.on('exit', this.exitHook);
  }

  /** Whether the last write failed (and was reported). */
  get isFailing(): boolean {
    return this.failing;
  }

  /** Writes pending deltas. Resolves true on success (or nothing to write); never rejects. */
  flush(): Promise<boolean> {
    // One write at a time keeps lines in order and whole.
    const run = (this.inFlight ?? Promise.resolve(true)).then(() => this.writeOnce());
    this.inFlight = run;
    return run;
  }

  /** Synchronous flush for process exit. Never throws. */
  flushSync(): boolean {
    const batch = this.telemetry.drain();
    if (batch.lines.length === 0) return true;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, this.payload(batch.lines));
      this.succeeded();
      return true;
    } catch (error) {
      batch.rollback();
      this.failed(error);
      return false;
    }
  }

  /** Stops the timer and the exit hook; writes what is pending. */
  async close(): Promise<boolean> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    process.off('exit', this.exitHook);
    return this.flush();
  }

  private async writeOnce(): Promise<boolean> {
    const batch = this.telemetry.drain();
    if (batch.lines.length === 0) return true;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, this.payload(batch.lines));
      this.succeeded();
      return true;
    } catch (error) {
      batch.rollback();
      this.failed(error);
      return false;
    }
  }

  private payload(lines: string[]): string {
    return (this.needsSeparator ? '\n' : '') + lines.join('\n') + '\n';
  }

  private succeeded(): void {
    this.failing = false;
    this.needsSeparator = false;
  }

  private failed(error: unknown): void {
    this.needsSeparator = true;
    if (this.failing) return;
    this.failing = true;
    try {
      this.onError(error, this.path);
    } catch {
      // The reporter itself failing must not reach the caller either.
    }
  }
}
