/**
 * The telemetry the dashboard has seen: the delta lines (for the shim's own aggregation) and a
 * sparse per-id time series (for the chart and "calls in the window"). Memory is bounded: lines
 * of the same process and site are merged past a threshold (sums and min/max keep aggregates
 * exact), and series buckets older than the window are dropped.
 */
import { aggregateTelemetry, type IdSummary } from '../../shim/telemetry-report.js';
import type { TelemetryLine } from '../../shim/telemetry.js';

export interface SeriesView {
  /** Epoch ms of the first bucket. */
  start: number;
  bucketMs: number;
  counts: number[];
}

const COMPACT_AT = 20_000;

export class TelemetryStore {
  private lines: TelemetryLine[] = [];
  /** id -> fine bucket start -> uses (entry-point + method calls). */
  private readonly series = new Map<string, Map<number, number>>();
  readonly fineMs: number;

  constructor(readonly windowMs: number) {
    // ~2000 fine buckets per window, never finer than a second.
    this.fineMs = Math.max(1000, Math.round(windowMs / 2000));
  }

  add(lines: readonly TelemetryLine[]): void {
    for (const l of lines) {
      this.lines.push(l);
      const n = l.count + l.methodCalls;
      if (n === 0) continue;
      const at = Date.parse(l.lastSeen) || Date.parse(l.ts) || 0;
      const bucket = at - (at % this.fineMs);
      let s = this.series.get(l.id);
      if (!s) this.series.set(l.id, (s = new Map()));
      s.set(bucket, (s.get(bucket) ?? 0) + n);
    }
    if (this.lines.length > COMPACT_AT) this.compact();
  }

  get lineCount(): number {
    return this.lines.length;
  }

  summaries(): IdSummary[] {
    return aggregateTelemetry(this.lines, { top: Number.MAX_SAFE_INTEGER });
  }

  /** Uses of an id at or after `since` (epoch ms), by series bucket. */
  usesSince(id: string, since: number): number {
    let n = 0;
    for (const [bucket, v] of this.series.get(id) ?? []) if (bucket + this.fineMs > since) n += v;
    return n;
  }

  /** Strict-mode uses (each one threw DeprecatedApiError in the caller) last seen at or after `since`. */
  strictUsesSince(id: string, since: number): { calls: number; last: string | undefined } {
    let calls = 0;
    let last: string | undefined;
    for (const l of this.lines) {
      if (l.id !== id || l.mode !== 'strict' || l.count + l.methodCalls === 0) continue;
      if ((Date.parse(l.lastSeen) || 0) < since) continue;
      calls += l.count + l.methodCalls;
      if (!last || l.lastSeen > last) last = l.lastSeen;
    }
    return { calls, last };
  }

  /** The chart: `buckets` equal buckets from `from` to `to`. */
  chart(id: string, from: number, to: number, buckets = 48): SeriesView {
    const bucketMs = Math.max(1, Math.ceil((to - from) / buckets));
    const counts = new Array<number>(buckets).fill(0);
    for (const [bucket, v] of this.series.get(id) ?? []) {
      const i = Math.floor((bucket - from) / bucketMs);
      if (i >= 0 && i < buckets) counts[i]! += v;
      else if (i >= buckets) counts[buckets - 1]! += v;
    }
    return { start: from, bucketMs, counts };
  }

  /** Earliest series bucket at or after `since`, if any. */
  firstUseSince(since: number): number | undefined {
    let first: number | undefined;
    for (const s of this.series.values()) for (const b of s.keys()) if (b + this.fineMs > since && (first === undefined || b < first)) first = b;
    return first;
  }

  prune(now: number): void {
    const cutoff = now - this.windowMs - this.fineMs;
    for (const s of this.series.values()) for (const b of s.keys()) if (b < cutoff) s.delete(b);
  }

  private compact(): void {
    const merged = new Map<string, TelemetryLine>();
    for (const l of this.lines) {
      const key = [l.id, l.symbol, l.mode, l.host, l.pid, l.overflow ?? '', l['code.file.path'] ?? '', l['code.line.number'] ?? '', l['code.column.number'] ?? ''].join('\u0000');
      const m = merged.get(key);
      if (!m) merged.set(key, { ...l });
      else {
        m.count += l.count;
        m.methodCalls += l.methodCalls;
        if (l.firstSeen < m.firstSeen) m.firstSeen = l.firstSeen;
        if (l.lastSeen > m.lastSeen) m.lastSeen = l.lastSeen;
        if (l.ts > m.ts) m.ts = l.ts;
      }
    }
    this.lines = [...merged.values()];
  }
}
