import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Telemetry } from '../telemetry.js';
import { JsonlSink } from '../telemetry-sink.js';
import { DeprecationWarnings } from '../warnings.js';
import { callerA, callerB } from './__fixtures__/callers.js';

const CALLERS = fileURLToPath(new URL('./__fixtures__/callers.ts', import.meta.url));

async function lineOf(marker: string): Promise<number> {
  const lines = (await readFile(CALLERS, 'utf8')).split('\n');
  return lines.findIndex((l) => l.includes(marker)) + 1;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssot-telemetry-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('call sites', () => {
  it('name the file, line and function of the first frame outside shim/', async () => {
    const a = callerA();
    expect(a).toMatchObject({ file: CALLERS, line: await lineOf('CALLER_A'), function: 'callerA' });
    expect(callerB()?.line).toBe(await lineOf('CALLER_B'));
  });
});

describe('Telemetry', () => {
  it('counts per id x symbol x mode x site, and method calls on the returned record', () => {
    const t = new Telemetry();
    const a = callerA();
    const r1 = t.hit('WSM001', 'UnifiedWebSocketManager', 'canonical', a);
    const r2 = t.hit('WSM001', 'UnifiedWebSocketManager', 'canonical', a);
    expect(r1).toBe(r2);
    r1.methodCalls += 3;
    t.hit('WSM001', 'UnifiedWebSocketManager', 'legacy', a);
    t.hit('WSM001', 'UnifiedWebSocketManager', 'canonical', callerB());
    const snap = t.snapshot();
    expect(snap).toHaveLength(3);
    expect(snap[0]).toMatchObject({ count: 2, methodCalls: 3, mode: 'canonical' });
  });

  it('bounds distinct sites and counts the overflow', () => {
    const t = new Telemetry({ maxSites: 2 });
    for (let i = 1; i <= 5; i++) t.hit('WSM002', 'getWebSocketManager', 'canonical', { file: '/app/x.ts', line: i, col: 1, function: undefined });
    expect(t.snapshot().filter((r) => !r.overflow)).toHaveLength(2);
    expect(t.overflowCount('WSM002')).toBe(3);
    expect(t.snapshot().find((r) => r.overflow)?.count).toBe(3);
  });

  it('drains deltas once, and a rolled-back drain comes back whole', () => {
    const t = new Telemetry();
    const rec = t.hit('WSM001', 'X', 'canonical', callerA());
    const first = t.drain();
    expect(first.lines).toHaveLength(1);
    expect(t.drain().lines).toHaveLength(0);
    rec.methodCalls += 2;
    const second = t.drain();
    second.rollback();
    const third = t.drain();
    expect(JSON.parse(third.lines[0]!)).toMatchObject({ count: 0, methodCalls: 2 });
  });

  it('exports Prometheus text with bounded labels and no call sites', async () => {
    const t = new Telemetry();
    const rec = t.hit('WSM001', 'UnifiedWebSocketManager', 'canonical', callerA());
    rec.methodCalls += 4;
    t.hit('WSM001', 'UnifiedWebSocketManager', 'canonical', callerB());
    const text = await t.metrics();
    expect(text).toContain('ssot_shim_calls_total{id="WSM001",symbol="UnifiedWebSocketManager",mode="canonical"} 2');
    expect(text).toContain('ssot_shim_method_calls_total{id="WSM001",symbol="UnifiedWebSocketManager",mode="canonical"} 4');
    expect(text).toContain('ssot_shim_distinct_sites{id="WSM001"} 2');
    expect(text).not.toContain('callers');
  });
});

describe('coverage and worker deltas in Telemetry', () => {
  it('exports ssot_shim_installed per installed id with zero calls', async () => {
    const t = new Telemetry({ identity: { service: 'web', version: '1.4.2', host: 'web-1', pid: 42, thread: undefined }, installed: () => ['WSM001', 'WSM002'] });
    const text = await t.metrics();
    expect(text).toContain('ssot_shim_installed{id="WSM001",service="web",version="1.4.2",host="web-1",pid="42"} 1');
    expect(text).toContain('ssot_shim_installed{id="WSM002",service="web",version="1.4.2",host="web-1",pid="42"} 1');
    expect(text).not.toContain('ssot_shim_calls_total{');
  });

  it('a scrape that sees new method calls refreshes last-seen (they read no clock)', async () => {
    let clock = 1_000_000;
    const t = new Telemetry({ now: () => clock, installed: () => [] });
    const rec = t.hit('WSM001', 'X', 'canonical', callerA());
    clock = 2_000_000;
    rec.methodCalls += 1;
    expect(await t.metrics()).toContain('ssot_shim_last_seen_timestamp_seconds{id="WSM001",symbol="X",mode="canonical"} 2000');
    clock = 3_000_000;
    expect(await t.metrics()).toContain('ssot_shim_last_seen_timestamp_seconds{id="WSM001",symbol="X",mode="canonical"} 2000');
  });

  it('absorbs deltas posted by a worker into the same site records, once', () => {
    const main = new Telemetry();
    const worker = new Telemetry();
    const site = callerA();
    main.hit('WSM001', 'X', 'canonical', site);
    const r = worker.hit('WSM001', 'X', 'canonical', site);
    worker.hit('WSM001', 'X', 'canonical', site);
    r.methodCalls += 5;
    for (const [, d] of worker.takeDeltas().deltas) main.absorb(d);
    expect(worker.takeDeltas().deltas).toEqual([]);
    expect(main.snapshot()).toHaveLength(1);
    expect(main.snapshot()[0]).toMatchObject({ count: 3, methodCalls: 5 });
  });
});

describe('JsonlSink', () => {
  it('writes whole JSONL lines with OpenTelemetry code.* attributes', async () => {
    const t = new Telemetry();
    const file = join(dir, 'out', 'a.jsonl');
    const sink = new JsonlSink(t, file, { intervalMs: 0, flushOnExit: false });
    t.hit('WSM001', 'UnifiedWebSocketManager', 'canonical', callerA());
    expect(await sink.flush()).toBe(true);
    t.hit('WSM001', 'UnifiedWebSocketManager', 'canonical', callerA());
    await sink.close();
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const all = text.trim().split('\n').map((l) => JSON.parse(l));
    // Use lines (no kind) and, with each write, one coverage line.
    const lines = all.filter((l) => l.kind === undefined);
    expect(lines).toHaveLength(2);
    const coverage = all.filter((l) => l.kind === 'coverage');
    expect(coverage).toHaveLength(2);
    expect(coverage[0].end).toBe(coverage[1].start);
    expect(coverage[1]).toMatchObject({ final: true, reason: 'closed', pid: process.pid });
    expect(lines[0]).toMatchObject({
      v: 1,
      id: 'WSM001',
      symbol: 'UnifiedWebSocketManager',
      mode: 'canonical',
      count: 1,
      'code.file.path': CALLERS,
      'code.line.number': await lineOf('CALLER_A'),
      'code.function.name': 'callerA',
      pid: process.pid,
    });
    expect(typeof lines[0]['code.column.number']).toBe('number');
  });

  it('a failing sink never throws, is reported once, keeps counts and recovers', async () => {
    const t = new Telemetry();
    const file = join(dir, 'blocked.jsonl');
    await mkdir(file); // a directory where the file should be: every append fails
    const reports: unknown[] = [];
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const sink = new JsonlSink(t, file, { intervalMs: 0, flushOnExit: false, onError: (e) => reports.push(e), coverageOptions: { now: () => clock } });
    t.hit('WSM001', 'X', 'canonical', callerA());
    clock += 5000;
    expect(await sink.flush()).toBe(false);
    t.hit('WSM001', 'X', 'canonical', callerA());
    expect(await sink.flush()).toBe(false);
    expect(sink.flushSync()).toBe(false);
    expect(reports).toHaveLength(1);
    expect(sink.isFailing).toBe(true);
    await rm(file, { recursive: true });
    expect(await sink.flush()).toBe(true);
    const all = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const lines = all.filter((l) => l.kind === undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0].count).toBe(2);
    // The coverage line written after the failures covers their span too: no gap.
    const coverage = all.filter((l) => l.kind === 'coverage');
    expect(coverage).toHaveLength(1);
    expect(coverage[0]).toMatchObject({ start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:00:05.000Z' });
    await sink.close();
  });
});

describe('DeprecationWarnings', () => {
  it('warns once per (id, site) with type DeprecationWarning and the id as code', () => {
    const emitted: Array<[string, { type: string; code: string }]> = [];
    const w = new DeprecationWarnings({ emit: (m, o) => emitted.push([m, o]) });
    const a = callerA();
    const b = callerB();
    const notice = { id: 'WSM001', symbol: 'UnifiedWebSocketManager', replacement: 'createWebSocketManager(ctx)' };
    expect(w.warn({ ...notice, site: a })).toBe(true);
    expect(w.warn({ ...notice, site: a })).toBe(false);
    expect(w.warn({ ...notice, site: b })).toBe(true);
    expect(w.warn({ ...notice, id: 'WSM002', site: a })).toBe(true);
    expect(emitted).toHaveLength(3);
    expect(emitted[0]![1]).toEqual({ type: 'DeprecationWarning', code: 'WSM001' });
    expect(emitted[0]![0]).toContain('callers.ts');
  });
});
