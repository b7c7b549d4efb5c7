// The Prometheus source's reading of long windows, against recorded-shape API answers served on
// loopback (the real server is exercised in test/telemetry/prometheus-verdict.test.ts, where a
// 30-day window cannot be waited for): bucket resolution, thin buckets, targets that left.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { judge, prometheusSource } from '../evidence/index.js';

const DAY = 86_400_000;
const TO = Date.parse('2026-03-31T00:00:00Z');
const WINDOW = { from: TO - 30 * DAY, to: TO };

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

interface Target {
  instance: string;
  /** Samples of the installed metric per bucket index (missing: none). */
  count: (bucket: number) => number | undefined;
  /** up per bucket (missing: no sample). */
  up?: (bucket: number) => number | undefined;
}

/** Serves the five queries the source makes, computed from per-bucket figures. */
async function fakePrometheus(targets: Target[], seen: string[]): Promise<string> {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const q = url.searchParams.get('query') ?? '';
    seen.push(`${url.pathname} ${q} ${url.searchParams.get('step') ?? ''}`);
    const json = (data: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
    if (url.pathname === '/api/v1/targets') {
      return json({ activeTargets: targets.map((t) => ({ labels: { job: 'web', instance: t.instance }, scrapeInterval: '15s' })) });
    }
    if (url.pathname === '/api/v1/query_range') {
      const start = Number(url.searchParams.get('start'));
      const end = Number(url.searchParams.get('end'));
      const step = Number(url.searchParams.get('step'));
      const n = Math.round((end - start) / step) + 1;
      const pick = q.startsWith('min by') ? (t: Target) => t.up : (t: Target) => t.count;
      return json({
        resultType: 'matrix',
        result: targets.map((t) => ({
          metric: { job: 'web', instance: t.instance },
          values: Array.from({ length: n }, (_, k) => [start + k * step, pick(t)?.(k)] as const)
            .filter(([, v]) => v !== undefined)
            .map(([ts, v]) => [ts, String(v)]),
        })),
      });
    }
    if (q.startsWith('group by')) {
      return json({ resultType: 'vector', result: targets.map((t) => ({ metric: { job: 'web', instance: t.instance, id: 'WSM001', service: 'web', version: '2', host: t.instance, pid: '1' }, value: [TO / 1000, '1'] })) });
    }
    return json({ resultType: 'vector', result: [] }); // no use
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return `prometheus+http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const full = () => 86; // 1296 s buckets of 15 s scrapes

describe('Prometheus source over a 30-day window', () => {
  it('asks for 2000 buckets (1296 s), not every raw sample, and judges a fully scraped fleet unused', async () => {
    const seen: string[] = [];
    const url = await fakePrometheus([{ instance: 'a:9100', count: full, up: () => 1 }, { instance: 'b:9100', count: full, up: () => 1 }], seen);
    const report = judge(await prometheusSource(url).collect(WINDOW), ['WSM001']);
    expect(report.verdicts[0]).toMatchObject({ verdict: 'unused', reasons: [], caveats: [] });
    expect(report.verdicts[0]!.coverage.ratio).toBe(1);
    expect(seen.filter((s) => s.startsWith('/api/v1/query_range')).every((s) => s.endsWith(' 1296'))).toBe(true);
  });

  it('a bucket inside a run with under half its scrapes is a gap (Prometheus was not scraping): unknown', async () => {
    const url = await fakePrometheus([{ instance: 'a:9100', count: (k) => (k === 700 ? 9 : 86), up: () => 1 }], []);
    const v = judge(await prometheusSource(url).collect(WINDOW), ['WSM001']).verdicts[0]!;
    expect(v.verdict).toBe('unknown');
    expect(v.reasons.join('\n')).toContain('web a:9100 scraped 9 of ~86 times');
  });

  it('a target that left the targets is a caveat, not a gap, when another covers; a target seen down is unknown', async () => {
    const left = await fakePrometheus([{ instance: 'a:9100', count: full, up: () => 1 }, { instance: 'b:9100', count: (k) => (k < 1500 ? 86 : undefined), up: (k) => (k < 1500 ? 1 : undefined) }], []);
    const v = judge(await prometheusSource(left).collect(WINDOW), ['WSM001']).verdicts[0]!;
    expect(v.verdict).toBe('unused');
    expect(v.caveats.join('\n')).toContain('web b:9100 stopped being scraped');
    await new Promise<void>((r) => server!.close(() => r()));
    const down = await fakePrometheus([{ instance: 'a:9100', count: full, up: () => 1 }, { instance: 'b:9100', count: (k) => (k < 1500 ? 86 : undefined), up: (k) => (k < 1500 ? 1 : 0) }], []);
    const d = judge(await prometheusSource(down).collect(WINDOW), ['WSM001']).verdicts[0]!;
    expect(d.verdict).toBe('unknown');
    expect(d.reasons.join('\n')).toMatch(/web b:9100 down \(up == 0\)[\s\S]*web b:9100 went down/);
    server = undefined;
  });

  it('a bad answer is a clear error naming the server', async () => {
    server = createServer((_req, res) => res.writeHead(400).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' })));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await expect(prometheusSource(`prometheus+http://127.0.0.1:${port}`).collect(WINDOW)).rejects.toThrow(`prometheus http://127.0.0.1:${port}: bad_data: parse error`);
    expect(() => prometheusSource('prometheus+http://')).toThrow('expected prometheus+http://HOST:PORT');
    expect(() => prometheusSource('prometheus+http://prom:9090?bad-label=x')).toThrow('"bad-label" is not a label name');
  });
});
