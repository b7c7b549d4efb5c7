/**
 * Evidence from a Prometheus server that scrapes the shim's metrics (the fleet source): one HTTP
 * API instead of one file per process per host.
 *
 * - Use: `max_over_time(ssot_shim_last_seen_timestamp_seconds[W])` per id — any use whose time
 *   falls in the window, including the first uses of a process that were already in its first
 *   scrape (which `increase()` cannot see) — plus `increase()` of the call counters for figures.
 * - Coverage: the raw samples of `ssot_shim_installed` (1 per installed id, exported with zero
 *   calls) per scrape target, and the raw samples of `up` for the jobs those targets are in.
 *   Consecutive samples of a target cover the time between them; an `up == 0` sample is a gap
 *   (Prometheus expected the target and could not see it).
 *
 * What Prometheus cannot see: use between a process's last scrape and its end (at most one scrape
 * interval per stopped process — code that runs only at shutdown is invisible here; the JSONL
 * files see it). A target that left service discovery is reported as a caveat with the verdict.
 */
import type { CoverageGap, CoverageInstance, CoveredSpan, Evidence, EvidenceSource, EvidenceWindow, UseEvidence } from './types.js';

export interface PrometheusSourceOptions {
  /** Extra label matchers for every shim metric, e.g. `job="web"`. */
  matchers?: string;
  /** Prefix of the shim's metric names (the Telemetry `metricPrefix`); default `ssot_shim_`. */
  metricPrefix?: string;
  /** Scrape interval assumed for targets the targets API does not list; default 15 s. */
  defaultScrapeIntervalMs?: number;
  timeoutMs?: number;
}

interface Sample {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

function parseDurationMs(text: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text ?? '');
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms'];
}

const targetKey = (job: string | undefined, instance: string | undefined): string => `${job ?? ''} ${instance ?? ''}`;

export class PrometheusEvidenceSource implements EvidenceSource {
  readonly description: string;
  private readonly base: string;
  private readonly prefix: string;
  private readonly matchers: string;
  private readonly timeoutMs: number;
  private readonly defaultIntervalMs: number;

  /** `baseUrl`: the server's root, e.g. http://127.0.0.1:9090 (a path prefix is kept). */
  constructor(baseUrl: string, options: PrometheusSourceOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.prefix = options.metricPrefix ?? 'ssot_shim_';
    this.matchers = options.matchers ?? '';
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.defaultIntervalMs = options.defaultScrapeIntervalMs ?? 15_000;
    this.description = `prometheus ${this.base}${this.matchers ? ` {${this.matchers}}` : ''}`;
  }

  async collect(window: EvidenceWindow): Promise<Evidence> {
    const at = window.to / 1000;
    const w = `${Math.max(1, Math.ceil((window.to - window.from) / 1000))}s`;
    const sel = (extra = ''): string => `{${[this.matchers, extra].filter(Boolean).join(',')}}`;

    const intervals = await this.scrapeIntervals();
    const maxInterval = Math.max(this.defaultIntervalMs, ...intervals.values());
    // Look back further than the window, so the span reaching into its start is seen whole.
    const lookback = `${Math.ceil((window.to - window.from + 2 * maxInterval) / 1000)}s`;

    const installed = await this.query<Sample[]>(`${this.prefix}installed${sel()}[${lookback}]`, at);
    const jobs = [...new Set(installed.map((s) => s.metric.job).filter((j): j is string => j !== undefined))];
    const up = jobs.length ? await this.query<Sample[]>(`up{job=~"${jobs.map((j) => j.replace(/[\\.^$|?*+()[\]{}"]/g, '\\\\$&')).join('|')}"}[${lookback}]`, at) : [];
    const lastSeen = await this.query<Sample[]>(`max by (id) (max_over_time(${this.prefix}last_seen_timestamp_seconds${sel()}[${w}]))`, at);
    const calls = await this.query<Sample[]>(`sum by (id) (increase(${this.prefix}calls_total${sel()}[${w}]))`, at);
    const methodCalls = await this.query<Sample[]>(`sum by (id) (increase(${this.prefix}method_calls_total${sel()}[${w}]))`, at);

    return {
      source: this.description,
      window,
      uses: this.uses(window, lastSeen, calls, methodCalls),
      instances: this.instances(window, installed, up, intervals),
      notes: installed.length === 0 ? [`no ${this.prefix}installed series: no target exporting the shim's metrics was scraped in the window`] : [],
    };
  }

  private uses(window: EvidenceWindow, lastSeen: Sample[], calls: Sample[], methodCalls: Sample[]): UseEvidence[] {
    const byId = new Map<string, UseEvidence>();
    const get = (id: string): UseEvidence => {
      let u = byId.get(id);
      if (!u) byId.set(id, (u = { id, calls: 0, methodCalls: 0, lastSeen: undefined, sites: [] }));
      return u;
    };
    for (const s of lastSeen) {
      const t = Number(s.value?.[1]) * 1000;
      const id = s.metric.id;
      if (id !== undefined && Number.isFinite(t) && t >= window.from && t <= window.to) get(id).lastSeen = t;
    }
    for (const s of calls) if (s.metric.id !== undefined && Number(s.value?.[1]) > 0) get(s.metric.id).calls = Math.round(Number(s.value?.[1]));
    for (const s of methodCalls) if (s.metric.id !== undefined && Number(s.value?.[1]) > 0) get(s.metric.id).methodCalls = Math.round(Number(s.value?.[1]));
    // A use whose time is in the window counts even when the counters' increase cannot show it
    // (a series whose first sample already held it).
    for (const u of byId.values()) if (u.lastSeen !== undefined && u.calls + u.methodCalls === 0) u.calls = 1;
    return [...byId.values()].filter((u) => u.calls + u.methodCalls > 0);
  }

  private instances(window: EvidenceWindow, installed: Sample[], up: Sample[], intervals: Map<string, number>): CoverageInstance[] {
    interface Acc {
      job: string | undefined;
      instance: string | undefined;
      labels: Record<string, string>;
      byId: Map<string, number[]>;
      last: number;
    }
    const targets = new Map<string, Acc>();
    for (const s of installed) {
      const key = targetKey(s.metric.job, s.metric.instance);
      let acc = targets.get(key);
      if (!acc) targets.set(key, (acc = { job: s.metric.job, instance: s.metric.instance, labels: {}, byId: new Map(), last: -Infinity }));
      const id = s.metric.id;
      if (id === undefined) continue;
      const times = acc.byId.get(id) ?? [];
      for (const [t] of s.values ?? []) times.push(t * 1000);
      acc.byId.set(id, times);
      const newest = Math.max(...(s.values ?? []).map(([t]) => t * 1000));
      if (newest >= acc.last) {
        acc.last = newest;
        acc.labels = Object.fromEntries(Object.entries(s.metric).filter(([k]) => k !== '__name__' && k !== 'id'));
      }
    }
    const downs = new Map<string, number[]>();
    for (const s of up) {
      const key = targetKey(s.metric.job, s.metric.instance);
      const zero = (s.values ?? []).filter(([, v]) => Number(v) === 0).map(([t]) => t * 1000);
      if (zero.length) downs.set(key, [...(downs.get(key) ?? []), ...zero].sort((a, b) => a - b));
      if (!targets.has(key) && zero.some((t) => t >= window.from)) {
        // Down in the window and never seen with its ids: it may run any of them.
        targets.set(key, { job: s.metric.job, instance: s.metric.instance, labels: { job: s.metric.job ?? '', instance: s.metric.instance ?? '' }, byId: new Map(), last: -Infinity });
      }
    }
    const out: CoverageInstance[] = [];
    for (const [key, acc] of targets) {
      const interval = intervals.get(key) ?? this.defaultIntervalMs;
      const toleranceMs = 2 * interval + 500;
      const spans: CoveredSpan[] = [];
      for (const [id, times] of acc.byId) {
        times.sort((a, b) => a - b);
        let cur: CoveredSpan | undefined;
        for (const t of times) {
          if (cur && t - cur.end <= toleranceMs) cur.end = t;
          else spans.push((cur = { start: t, end: t, ids: [id] }));
        }
      }
      spans.sort((a, b) => a.start - b.start);
      const gaps: CoverageGap[] = [];
      const name = `${acc.job ?? '?'} ${acc.instance ?? '?'}`;
      for (const t of downs.get(key) ?? []) {
        const g = gaps[gaps.length - 1];
        if (g && t - interval <= g.end + toleranceMs) g.end = t;
        else gaps.push({ start: t - interval, end: t, why: `${name} down (up == 0)` });
      }
      const downAfterLast = (downs.get(key) ?? []).some((t) => t > acc.last);
      const end: CoverageInstance['end'] =
        acc.last === -Infinity
          ? { kind: 'unclean', at: (downs.get(key) ?? [window.from])[0]!, why: 'down, never scraped in the window' }
          : window.to - acc.last <= toleranceMs
            ? { kind: 'running' }
            : downAfterLast
              ? { kind: 'unclean', at: acc.last, why: 'went down' }
              : { kind: 'unobserved', at: acc.last, why: 'stopped being scraped (left the targets); use after its last scrape is not in Prometheus' };
      out.push({ key: name, labels: acc.labels, spans, gaps, end, toleranceMs, ...(acc.byId.size === 0 ? { idsUnknown: true } : {}) });
    }
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  private async scrapeIntervals(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const data = await this.get<{ activeTargets?: Array<{ labels?: Record<string, string>; scrapeInterval?: string }> }>('/api/v1/targets?state=active');
    for (const t of data.activeTargets ?? []) {
      const ms = parseDurationMs(t.scrapeInterval);
      if (ms !== undefined) out.set(targetKey(t.labels?.job, t.labels?.instance), ms);
    }
    return out;
  }

  private async query<T>(promql: string, at: number): Promise<T> {
    const data = await this.get<{ resultType: string; result: T }>(`/api/v1/query?query=${encodeURIComponent(promql)}&time=${at}`);
    return data.result;
  }

  private async get<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new Error(`${this.description}: cannot reach the server (${(error as Error).message})`);
    }
    let body: ApiAnswer<T>;
    try {
      body = (await res.json()) as ApiAnswer<T>;
    } catch {
      throw new Error(`${this.description}: ${path.split('?')[0]} answered HTTP ${res.status} without a Prometheus API body`);
    }
    if (body.status !== 'success' || body.data === undefined) {
      throw new Error(`${this.description}: ${body.errorType ?? `HTTP ${res.status}`}: ${body.error ?? 'no data'}`);
    }
    return body.data;
  }
}
