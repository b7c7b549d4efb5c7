/**
 * Who still calls the legacy API: per (id, symbol, mode, call site) a record with counts and
 * first/last seen. The call site is captured by the caller once per construction or first use;
 * after that, use is counted by bumping fields on the returned record (no stack, no map lookup,
 * no clock read on the hot path). Memory is bounded: past `maxSites` distinct records, use is
 * filed under one overflow record per (id, symbol, mode) and the overflow is counted.
 */
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { Counter, Gauge, Registry } from 'prom-client';
import type { CallSiteInfo } from './call-site.js';
import { callSiteKey } from './call-site.js';
import type { ProcessIdentity } from './coverage.js';
import { installedIds, processIdentity } from './coverage.js';
import type { ShimMode } from './modes.js';

export interface SiteRecord {
  readonly id: string;
  readonly symbol: string;
  readonly mode: ShimMode;
  /** Undefined for the overflow record and for sites that could not be captured. */
  readonly site: CallSiteInfo | undefined;
  readonly overflow: boolean;
  /** Entry-point uses: constructions, factory and function calls. */
  count: number;
  /** Method calls on instances created at this site (counted without a stack or a clock read). */
  methodCalls: number;
  /** Epoch ms. */
  firstSeen: number;
  /** Epoch ms of the last entry-point use; method calls refresh it at flush granularity. */
  lastSeen: number;
  /** How much of count / methodCalls has been handed to a sink. */
  flushedCount: number;
  flushedMethodCalls: number;
}

/** One JSONL line. Attribute names for the site follow OpenTelemetry's stable `code.*` names. */
export interface TelemetryLine {
  v: 1;
  /** Use lines carry no kind (older writers); a reader treats a line without `kind` as use. */
  kind?: 'use';
  /** When this line was written (ISO). */
  ts: string;
  pid: number;
  host: string;
  /** Worker thread id, when a worker thread wrote its own file; absent on the main thread. */
  thread?: number;
  id: string;
  symbol: string;
  mode: ShimMode;
  'code.file.path'?: string;
  'code.line.number'?: number;
  'code.column.number'?: number;
  'code.function.name'?: string;
  /** True for the record that collects use past the distinct-site cap. */
  overflow?: true;
  /** Uses since the previous line for this record (lines are deltas: sum them). */
  count: number;
  methodCalls: number;
  firstSeen: string;
  lastSeen: string;
}

export interface TelemetryOptions {
  /** Cap on distinct site records across all ids. */
  maxSites?: number;
  now?: () => number;
  /** Prometheus registry to register into; a private one by default (see `registry`). */
  registry?: Registry;
  /** Prefix of Prometheus metric names. */
  metricPrefix?: string;
  /** Who reports coverage in the `installed` metric (default: this process, read once at the first scrape). */
  identity?: ProcessIdentity;
  /** Installed deprecation ids for the coverage metric (default: this thread's). */
  installed?: () => readonly string[];
}

/** A drained batch: the lines to write, and how to give them back if the write failed. */
export interface TelemetryBatch {
  lines: string[];
  rollback(): void;
}

/** Use of one record since the last drain, as plain data (a worker thread posts these to the main thread). */
export interface UseDelta {
  id: string;
  symbol: string;
  mode: ShimMode;
  site: CallSiteInfo | undefined;
  overflow: boolean;
  count: number;
  methodCalls: number;
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
}

export class Telemetry {
  readonly maxSites: number;
  readonly registry: Registry;
  private readonly records = new Map<string, SiteRecord>();
  private readonly overflowRecords = new Map<string, SiteRecord>();
  private readonly overflowHits = new Map<string, number>();
  private siteRecordCount = 0;
  private readonly now: () => number;
  private readonly host = hostname();
  private identity: ProcessIdentity | undefined;
  private readonly installed: () => readonly string[];
  /** Method calls seen by the last scrape, per record: a scrape that sees more refreshes last-seen. */
  private readonly scrapedMethodCalls = new WeakMap<SiteRecord, number>();
  /** Called after each entry-point use (a worker thread schedules its post to the main thread). */
  onUse: (() => void) | undefined;

  constructor(options: TelemetryOptions = {}) {
    this.maxSites = options.maxSites ?? 1000;
    this.now = options.now ?? Date.now;
    this.registry = options.registry ?? new Registry();
    this.identity = options.identity;
    this.installed = options.installed ?? installedIds;
    this.registerMetrics(options.metricPrefix ?? 'ssot_shim_');
  }

  /**
   * Records one entry-point use and returns the record, on which later method calls of the
   * instance are counted (`record.methodCalls++`). Never throws.
   */
  hit(id: string, symbol: string, mode: ShimMode, site: CallSiteInfo | undefined): SiteRecord {
    const key = `${id}\u0000${symbol}\u0000${mode}\u0000${callSiteKey(site)}`;
    let record = this.records.get(key);
    if (!record) {
      if (this.siteRecordCount >= this.maxSites) {
        this.overflowHits.set(id, (this.overflowHits.get(id) ?? 0) + 1);
        record = this.overflowRecord(id, symbol, mode);
      } else {
        record = this.newRecord(id, symbol, mode, site, false);
        this.records.set(key, record);
        this.siteRecordCount++;
      }
    }
    const now = this.now();
    record.count++;
    record.lastSeen = now;
    this.onUse?.();
    return record;
  }

  /** Adds use recorded elsewhere (a worker thread's deltas) as if it had been hit here. Never throws. */
  absorb(delta: UseDelta): void {
    if (delta.count === 0 && delta.methodCalls === 0) return;
    const key = `${delta.id}\u0000${delta.symbol}\u0000${delta.mode}\u0000${callSiteKey(delta.site)}`;
    let record = delta.overflow ? undefined : this.records.get(key);
    if (!record) {
      if (delta.overflow || this.siteRecordCount >= this.maxSites) {
        this.overflowHits.set(delta.id, (this.overflowHits.get(delta.id) ?? 0) + delta.count);
        record = this.overflowRecord(delta.id, delta.symbol, delta.mode);
      } else {
        record = this.newRecord(delta.id, delta.symbol, delta.mode, delta.site, false);
        record.firstSeen = delta.firstSeen;
        this.records.set(key, record);
        this.siteRecordCount++;
      }
    }
    record.count += delta.count;
    record.methodCalls += delta.methodCalls;
    if (delta.firstSeen < record.firstSeen) record.firstSeen = delta.firstSeen;
    if (delta.lastSeen > record.lastSeen) record.lastSeen = delta.lastSeen;
  }

  /** Every record (site records, then overflow records). */
  snapshot(): readonly SiteRecord[] {
    return [...this.records.values(), ...this.overflowRecords.values()];
  }

  /** Uses past the site cap, per id. */
  overflowCount(id: string): number {
    return this.overflowHits.get(id) ?? 0;
  }

  /**
   * Takes the use since the last drain and marks it handed over; `rollback()` gives it back (a
   * failed write or post), so the next drain includes it and nothing is lost.
   */
  takeDeltas(): { deltas: Array<[SiteRecord, UseDelta]>; rollback(): void } {
    const now = this.now();
    const deltas: Array<[SiteRecord, UseDelta]> = [];
    for (const record of this.snapshot()) {
      const count = record.count - record.flushedCount;
      const methodCalls = record.methodCalls - record.flushedMethodCalls;
      if (count === 0 && methodCalls === 0) continue;
      // Method calls do not read the clock; the drain that sees them stands in for "last seen".
      if (methodCalls > 0) record.lastSeen = now;
      record.flushedCount += count;
      record.flushedMethodCalls += methodCalls;
      deltas.push([
        record,
        { id: record.id, symbol: record.symbol, mode: record.mode, site: record.site, overflow: record.overflow, count, methodCalls, firstSeen: record.firstSeen, lastSeen: record.lastSeen },
      ]);
    }
    return {
      deltas,
      rollback: () => {
        for (const [record, d] of deltas) {
          record.flushedCount -= d.count;
          record.flushedMethodCalls -= d.methodCalls;
        }
      },
    };
  }

  /** The use since the last drain as JSONL lines (see `takeDeltas`). */
  drain(): TelemetryBatch {
    const ts = new Date(this.now()).toISOString();
    const { deltas, rollback } = this.takeDeltas();
    return { lines: deltas.map(([record, d]) => JSON.stringify(this.toLine(record, ts, d.count, d.methodCalls))), rollback };
  }

  private toLine(record: SiteRecord, ts: string, count: number, methodCalls: number): TelemetryLine {
    const line: TelemetryLine = {
      v: 1,
      ts,
      pid: process.pid,
      host: this.host,
      ...(threadId !== 0 ? { thread: threadId } : {}),
      id: record.id,
      symbol: record.symbol,
      mode: record.mode,
      count,
      methodCalls,
      firstSeen: new Date(record.firstSeen).toISOString(),
      lastSeen: new Date(record.lastSeen).toISOString(),
    };
    if (record.site) {
      line['code.file.path'] = record.site.file;
      line['code.line.number'] = record.site.line;
      line['code.column.number'] = record.site.col;
      if (record.site.function) line['code.function.name'] = record.site.function;
    }
    if (record.overflow) line.overflow = true;
    return line;
  }

  private newRecord(id: string, symbol: string, mode: ShimMode, site: CallSiteInfo | undefined, overflow: boolean): SiteRecord {
    const now = this.now();
    return {
      id,
      symbol,
      mode,
      site,
      overflow,
      count: 0,
      methodCalls: 0,
      firstSeen: now,
      lastSeen: now,
      flushedCount: 0,
      flushedMethodCalls: 0,
    };
  }

  private overflowRecord(id: string, symbol: string, mode: ShimMode): SiteRecord {
    const key = `${id}\u0000${symbol}\u0000${mode}`;
    let record = this.overflowRecords.get(key);
    if (!record) {
      record = this.newRecord(id, symbol, mode, undefined, true);
      this.overflowRecords.set(key, record);
    }
    return record;
  }

  /**
   * Prometheus metrics are computed from the records at scrape time, so the hot path never
   * touches prom-client. Labels are bounded (id, symbol, mode); sites stay in the JSONL.
   */
  private registerMetrics(prefix: string): void {
    const sums = (pick: (r: SiteRecord) => number) => {
      const out = new Map<string, { labels: { id: string; symbol: string; mode: string }; value: number }>();
      for (const r of this.snapshot()) {
        const key = `${r.id}\u0000${r.symbol}\u0000${r.mode}`;
        const cur = out.get(key) ?? { labels: { id: r.id, symbol: r.symbol, mode: r.mode }, value: 0 };
        cur.value += pick(r);
        out.set(key, cur);
      }
      return out.values();
    };
    const telemetry = this;
    new Counter({
      name: `${prefix}calls_total`,
      help: 'Uses of legacy entry points (constructions, factory and function calls).',
      labelNames: ['id', 'symbol', 'mode'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, value } of sums((r) => r.count)) this.inc(labels, value);
      },
    });
    new Counter({
      name: `${prefix}method_calls_total`,
      help: 'Method calls on instances obtained through legacy entry points.',
      labelNames: ['id', 'symbol', 'mode'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, value } of sums((r) => r.methodCalls)) this.inc(labels, value);
      },
    });
    new Gauge({
      name: `${prefix}last_seen_timestamp_seconds`,
      help: 'When a legacy entry point was last used.',
      labelNames: ['id', 'symbol', 'mode'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const last = new Map<string, { labels: { id: string; symbol: string; mode: string }; value: number }>();
        const now = telemetry.now();
        for (const r of telemetry.snapshot()) {
          // Method calls read no clock: the scrape that first sees them stands in for "last seen".
          if (r.methodCalls > (telemetry.scrapedMethodCalls.get(r) ?? 0)) {
            telemetry.scrapedMethodCalls.set(r, r.methodCalls);
            if (now > r.lastSeen) r.lastSeen = now;
          }
          const key = `${r.id}\u0000${r.symbol}\u0000${r.mode}`;
          const prev = last.get(key);
          if (!prev || r.lastSeen > prev.value) last.set(key, { labels: { id: r.id, symbol: r.symbol, mode: r.mode }, value: r.lastSeen });
        }
        for (const { labels, value } of last.values()) this.set(labels, value / 1000);
      },
    });
    new Gauge({
      name: `${prefix}installed`,
      help: 'Coverage: 1 per deprecation id whose strangled code is loaded in this process, exported even with zero calls.',
      labelNames: ['id', 'service', 'version', 'host', 'pid'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const who = (telemetry.identity ??= processIdentity());
        for (const id of telemetry.installed()) this.set({ id, service: who.service, version: who.version, host: who.host, pid: String(who.pid) }, 1);
      },
    });
    new Gauge({
      name: `${prefix}distinct_sites`,
      help: 'Distinct call sites recorded per id (bounded by the site cap).',
      labelNames: ['id'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const r of telemetry.snapshot()) if (!r.overflow) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
        for (const [id, n] of counts) this.set({ id }, n);
      },
    });
    new Counter({
      name: `${prefix}site_overflow_total`,
      help: 'Uses from sites past the distinct-site cap (attributed to no site).',
      labelNames: ['id'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [id, n] of telemetry.overflowHits) this.inc({ id }, n);
      },
    });
  }

  /** Prometheus text exposition of the metrics above. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
