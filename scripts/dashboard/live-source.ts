/**
 * `--live`: the dashboard inside the process that runs the shim reads its Telemetry directly.
 * Each sample turns what changed since the previous sample into delta lines of the JSONL shape,
 * so one store serves both sources. It never touches the records' flushed counters: the JSONL
 * sink keeps draining on its own.
 */
import { hostname } from 'node:os';
import type { SiteRecord, Telemetry, TelemetryLine } from '../../shim/telemetry.js';

export class LiveTelemetrySource {
  private readonly seen = new WeakMap<SiteRecord, { count: number; methodCalls: number }>();
  private readonly host = hostname();

  constructor(private readonly telemetry: Telemetry, private readonly now: () => number = Date.now) {}

  sample(): TelemetryLine[] {
    const now = this.now();
    const ts = new Date(now).toISOString();
    const out: TelemetryLine[] = [];
    for (const r of this.telemetry.snapshot()) {
      const prev = this.seen.get(r) ?? { count: 0, methodCalls: 0 };
      const count = r.count - prev.count;
      const methodCalls = r.methodCalls - prev.methodCalls;
      if (count <= 0 && methodCalls <= 0) continue;
      this.seen.set(r, { count: r.count, methodCalls: r.methodCalls });
      // Method calls do not read the clock (shim/telemetry.ts): the sample stands in for "last seen".
      const lastSeen = methodCalls > 0 ? Math.max(r.lastSeen, now) : r.lastSeen;
      const line: TelemetryLine = {
        v: 1,
        ts,
        pid: process.pid,
        host: this.host,
        id: r.id,
        symbol: r.symbol,
        mode: r.mode,
        count: Math.max(0, count),
        methodCalls: Math.max(0, methodCalls),
        firstSeen: new Date(r.firstSeen).toISOString(),
        lastSeen: new Date(lastSeen).toISOString(),
      };
      if (r.site) {
        line['code.file.path'] = r.site.file;
        line['code.line.number'] = r.site.line;
        line['code.column.number'] = r.site.col;
        if (r.site.function) line['code.function.name'] = r.site.function;
      }
      if (r.overflow) line.overflow = true;
      out.push(line);
    }
    return out;
  }
}
