/**
 * Evidence from a Prometheus server that scrapes the shim's metrics (the fleet source): one HTTP
 * API instead of one file per process per host.
 *
 * - Use: `max_over_time(ssot_shim_last_seen_timestamp_seconds[W])` per id — any use whose time
 *   falls in the window, including the first uses of a process that were already in its first
 *   scrape (which `increase()` cannot see) — plus `increase()` of the call counters for figures.
 * - Coverage: per scrape target, how many samples of `ssot_shim_installed` (1 per installed id,
 *   exported with zero calls) each time bucket holds, and the minimum of `up` in it, for the jobs
 *   those targets are in — range queries with a bucket of max(scrape interval, window / 2000), so
 *   a 30-day window costs a few thousand points per target, not every raw sample. A bucket with
 *   samples is covered (a run's first and last bucket only for the time its samples account
 *   for); `up == 0` in a bucket is a gap (Prometheus expected the target and could not see it);
 *   a bucket inside a run with under half its expected samples is a gap too (Prometheus itself
 *   was not scraping). Installed ids are per target over the window.
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

/** Coverage resolution: at most this many buckets per target over the window. */
const MAX_BUCKETS = 2000;

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
    const windowMs = Math.max(1000, window.to - window.from);
    const w = `${Math.ceil(windowMs / 1000)}s`;
    const sel = (extra = ''): string => `{${[this.matchers, extra].filter(Boolean).join(',')}}`;

    const intervals = await this.scrapeIntervals();
    const maxInterval = Math.max(...intervals.values(), 0) || this.defaultIntervalMs;
    const stepS = Math.max(Math.ceil(maxInterval / 1000), Math.ceil(windowMs / MAX_BUCKETS / 1000));
    const buckets = Math.ceil(windowMs / 1000 / stepS);
    // Bucket k ends at to - (buckets - 1 - k) * step and covers the step before it.
    const range = { start: at - (buckets - 1) * stepS, end: at, step: stepS };
    const lookback = `${Math.ceil(windowMs / 1000) + 2 * stepS}s`;

    const idsPerTarget = await this.query<Sample[]>(`group by (job, instance, id, service, version, host, pid) (last_over_time(${this.prefix}installed${sel()}[${lookback}]))`, at);
    const jobs = [...new Set(idsPerTarget.map((s) => s.metric.job).filter((j): j is string => j !== undefined))];
    const samples = await this.queryRange(`max by (job, instance) (count_over_time(${this.prefix}installed${sel()}[${stepS}s]))`, range);
    const jobMatcher = JSON.stringify(jobs.map((j) => j.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
    const up = jobs.length ? await this.queryRange(`min by (job, instance) (min_over_time(up{job=~${jobMatcher}}[${stepS}s]))`, range) : [];
    const lastSeen = await this.query<Sample[]>(`max by (id) (max_over_time(${this.prefix}last_seen_timestamp_seconds${sel()}[${w}]))`, at);
    const calls = await this.query<Sample[]>(`sum by (id) (increase(${this.prefix}calls_total${sel()}[${w}]))`, at);
    const methodCalls = await this.query<Sample[]>(`sum by (id) (increase(${this.prefix}method_calls_total${sel()}[${w}]))`, at);

    return {
      source: this.description,
      window,
      uses: this.uses(window, lastSeen, calls, methodCalls),
      instances: this.instances(window, stepS * 1000, idsPerTarget, samples, up, intervals),
      notes: idsPerTarget.length === 0 ? [`no ${this.prefix}installed series: no target exporting the shim's metrics was scraped in the window`] : [],
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

  private instances(window: EvidenceWindow, stepMs: number, idsPerTarget: Sample[], samples: Sample[], up: Sample[], intervals: Map<string, number>): CoverageInstance[] {
    interface Acc {
      job: string | undefined;
      instance: string | undefined;
      ids: Set<string>;
      labels: Map<string, Set<string>>;
      /** Bucket end (ms) -> samples of the installed metric in it. */
      counts: Map<number, number>;
      downs: number[];
    }
    const targets = new Map<string, Acc>();
    const acc = (job: string | undefined, instance: string | undefined): Acc => {
      const key = targetKey(job, instance);
      let a = targets.get(key);
      if (!a) targets.set(key, (a = { job, instance, ids: new Set(), labels: new Map(), counts: new Map(), downs: [] }));
      return a;
    };
    for (const s of idsPerTarget) {
      const a = acc(s.metric.job, s.metric.instance);
      if (s.metric.id !== undefined) a.ids.add(s.metric.id);
      for (const [k, v] of Object.entries(s.metric)) if (k !== 'id' && k !== '__name__') a.labels.set(k, (a.labels.get(k) ?? new Set()).add(v));
    }
    for (const s of samples) {
      const a = acc(s.metric.job, s.metric.instance);
      for (const [t, v] of s.values ?? []) if (Number(v) > 0) a.counts.set(Math.round(t * 1000), Number(v));
    }
    for (const s of up) {
      const zero = (s.values ?? []).filter(([, v]) => Number(v) === 0).map(([t]) => Math.round(t * 1000));
      if (zero.length === 0) continue;
      // A target down in the window is a gap, also when it was never seen with its ids.
      acc(s.metric.job, s.metric.instance).downs.push(...zero);
    }
    const out: CoverageInstance[] = [];
    for (const [key, a] of targets) {
      if (a.counts.size === 0 && a.downs.length === 0) continue;
      const interval = intervals.get(key) ?? this.defaultIntervalMs;
      const expected = Math.max(1, stepMs / interval);
      const toleranceMs = 2 * interval + 500;
      const name = `${a.job ?? '?'} ${a.instance ?? '?'}`;
      const ids = [...a.ids].sort();
      const ends = [...a.counts.keys()].sort((x, y) => x - y);
      const observed = (t: number): boolean => a.counts.has(t);
      const spans: CoveredSpan[] = [];
      const gaps: CoverageGap[] = [];
      for (const t of ends) {
        const c = a.counts.get(t)!;
        const first = !observed(t - stepMs);
        const last = !observed(t + stepMs) && t + stepMs <= window.to + 1;
        // Scrape jitter moves a sample across a bucket edge now and then: one short is still full.
        const part = c >= expected - 1 ? stepMs : Math.min(stepMs, c * interval);
        // A run's first/last bucket covers only the time its samples account for.
        const span = first && last ? { start: t - part, end: t } : first ? { start: t - part, end: t } : last ? { start: t - stepMs, end: t - stepMs + part } : { start: t - stepMs, end: t };
        spans.push({ ...span, ids });
        if (!first && !last && c < expected / 2) gaps.push({ start: t - stepMs, end: t, why: `${name} scraped ${c} of ~${Math.round(expected)} times` });
      }
      for (const t of a.downs.sort((x, y) => x - y)) {
        const g = gaps[gaps.length - 1];
        if (g && g.why.endsWith('(up == 0)') && t - stepMs <= g.end) g.end = t;
        else gaps.push({ start: t - stepMs, end: t, why: `${name} down (up == 0)` });
      }
      gaps.sort((x, y) => x.start - y.start);
      const lastObserved = ends.length ? ends[ends.length - 1]! : -Infinity;
      const end: CoverageInstance['end'] =
        ends.length === 0
          ? { kind: 'unclean', at: a.downs[0]! - stepMs, why: 'down, never scraped in the window' }
          : window.to - lastObserved <= toleranceMs
            ? { kind: 'running' }
            : a.downs.some((t) => t > lastObserved)
              ? { kind: 'unclean', at: lastObserved, why: 'went down' }
              : { kind: 'unobserved', at: lastObserved, why: 'stopped being scraped (left the targets); use after its last scrape is not in Prometheus' };
      const labels: Record<string, string> = {};
      for (const [k, v] of a.labels) labels[k] = [...v].sort().join(',');
      if (a.job !== undefined) labels.job = a.job;
      if (a.instance !== undefined) labels.instance = a.instance;
      out.push({ key: name, labels, spans, gaps, end, toleranceMs, ...(ids.length === 0 ? { idsUnknown: true } : {}) });
    }
    return out.sort((x, y) => x.key.localeCompare(y.key));
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

  private async queryRange(promql: string, range: { start: number; end: number; step: number }): Promise<Sample[]> {
    const data = await this.get<{ resultType: string; result: Sample[] }>(
      `/api/v1/query_range?query=${encodeURIComponent(promql)}&start=${range.start}&end=${range.end}&step=${range.step}`,
    );
    return data.result;
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
