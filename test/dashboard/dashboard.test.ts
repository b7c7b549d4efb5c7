import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { legacyUse, RepoSnapshot } from '../../codemods/index.js';
import { parseDuration } from '../../shim/duration.js';
import { createShimRuntime } from '../../shim/runtime.js';
import type { TelemetryLine } from '../../shim/telemetry.js';
import { JsonlTail, startDashboard, tokenMatches, bearerToken, type DashboardView } from '../../scripts/dashboard/index.js';
import { git, makeReviewRepo } from '../review/fixture.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-dash-unit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (id: string, count: number): string =>
  JSON.stringify({ v: 1, ts: new Date().toISOString(), pid: 1, host: 'h', id, symbol: 'S', mode: 'canonical', count, methodCalls: 0, firstSeen: new Date().toISOString(), lastSeen: new Date().toISOString() });

describe('JsonlTail', () => {
  it('hands over whole lines only, and starts over when the file shrinks', async () => {
    const file = path.join(dir, 'tail.jsonl');
    writeFileSync(file, line('A', 1) + '\n' + line('A', 2).slice(0, 20));
    const got: TelemetryLine[] = [];
    const tail = new JsonlTail([file], { onLines: (l) => got.push(...l), pollMs: 60_000 });
    await tail.start();
    try {
      expect(got.map((l) => l.count)).toEqual([1]);
      appendFileSync(file, line('A', 2).slice(20) + '\n');
      await tail.refresh();
      expect(got.map((l) => l.count)).toEqual([1, 2]);
      truncateSync(file, 0);
      appendFileSync(file, line('B', 5) + '\nnot json\n');
      await tail.refresh();
      expect(got.map((l) => `${l.id}${l.count}`)).toEqual(['A1', 'A2', 'B5']);
      expect(tail.skipped).toBe(1);
    } finally {
      tail.close();
    }
  });

  it('refuses a path that does not exist, naming it', async () => {
    const tail = new JsonlTail([path.join(dir, 'missing.jsonl')], { onLines: () => {} });
    await expect(tail.start()).rejects.toThrow(/missing\.jsonl does not exist/);
  });
});

describe('small parts', () => {
  it('token compare and bearer parsing', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
    expect(bearerToken('Bearer xyz')).toBe('xyz');
    expect(bearerToken('Basic xyz')).toBeUndefined();
  });

  it('durations', () => {
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(() => parseDuration('soon')).toThrow(/invalid duration/);
    // 0 means the same everywhere: refused (a zero window would count no use at all)
    expect(() => parseDuration('0')).toThrow(/greater than 0/);
    expect(() => parseDuration(0)).toThrow(/greater than 0/);
  });

  it('finds legacy imports left in a repo (relative specifiers, multi-line imports, require)', async () => {
    const fx = makeReviewRepo();
    try {
      const imports = async () => (await legacyUse(await RepoSnapshot.open(fx.repo))).imports.filter((h) => h.ids.includes('WSM001'));
      expect(await imports()).toEqual([]);
      writeFileSync(path.join(fx.repo, 'src/late.ts'), `import {\n  UnifiedWebSocketManager,\n} from './legacy/unified_manager.js';\nconst x = require('../src/legacy/unified_manager');\n`);
      const hits = await imports();
      expect(hits.map((h) => `${h.file}:${h.line}`)).toEqual(['src/late.ts:3', 'src/late.ts:4']);
      expect(git(fx.repo, 'status', '--porcelain')).toContain('src/late.ts');
    } finally {
      rmSync(fx.repo, { recursive: true, force: true });
    }
  });
});

describe('startDashboard over loopback', () => {
  it('--live: reads the in-process shim telemetry, pushes updates over /ws, flips the app’s own registry', async () => {
    const togglesFile = path.join(dir, 'live-toggles.json');
    const runtime = createShimRuntime({ togglesFile });
    const dashboard = await startDashboard({ runtime, port: 0, token: 't0k', pollMs: 100 });
    const ws = new WebSocket(dashboard.url.replace('http', 'ws') + 'ws');
    try {
      const site = { file: '/app/src/x.ts', line: 3, col: 9, function: undefined };
      for (let i = 0; i < 3; i++) runtime.telemetry.hit('WSM009', 'OldThing', 'canonical', site);
      const views: DashboardView[] = [];
      ws.on('message', (data) => views.push((JSON.parse(String(data)) as { view: DashboardView }).view));
      await new Promise((ok) => ws.once('open', ok));
      await expect.poll(() => views.at(-1)?.ids.find((v) => v.id === 'WSM009')?.calls, { timeout: 10_000 }).toBe(3);
      runtime.telemetry.hit('WSM009', 'OldThing', 'canonical', site).methodCalls += 4;
      await expect.poll(() => views.at(-1)?.ids.find((v) => v.id === 'WSM009')?.methodCalls, { timeout: 10_000 }).toBe(4);
      expect(views.at(-1)!.source.live).toBe(true);

      const flip = await fetch(new URL('/api/flip', dashboard.url), { method: 'POST', headers: { authorization: 'Bearer t0k' }, body: JSON.stringify({ id: 'WSM009', mode: 'legacy', by: 'oncall' }) });
      expect(flip.status).toBe(200);
      // The app's own registry took the flip: the next construction routes to legacy.
      expect(runtime.modes.get('WSM009')).toBe('legacy');
      const metrics = await (await fetch(new URL('/metrics', dashboard.url))).text();
      expect(metrics).toContain('ssot_dashboard_calls_total{id="WSM009",mode="canonical"} 4');
      // The shim's own metrics are appended in --live.
      expect(metrics).toContain('ssot_shim_calls_total{id="WSM009",symbol="OldThing",mode="canonical"} 4');
    } finally {
      ws.close();
      await dashboard.close();
      await runtime.close();
    }
  });

  it('refuses flips when no token is configured, bad bodies, and foreign Host headers', async () => {
    const file = path.join(dir, 'refuse.jsonl');
    writeFileSync(file, line('WSM001', 2) + '\n');
    const prev = process.env.SSOT_DASHBOARD_TOKEN;
    delete process.env.SSOT_DASHBOARD_TOKEN;
    const open = await startDashboard({ telemetry: [file], port: 0, togglesFile: path.join(dir, 'refuse-toggles.json') });
    const guarded = await startDashboard({ telemetry: [file], port: 0, togglesFile: path.join(dir, 'refuse-toggles.json'), token: 'k' });
    try {
      const post = (d: typeof open, body: unknown, headers: Record<string, string> = {}) =>
        fetch(new URL('/api/flip', d.url), { method: 'POST', headers, body: JSON.stringify(body) });
      expect((await post(open, { id: 'WSM001', mode: 'legacy' }, { authorization: 'Bearer anything' })).status).toBe(403);
      expect((await post(guarded, { id: 'WSM001', mode: 'legacy' })).status).toBe(401);
      expect((await post(guarded, { id: 'WSM001', mode: 'sideways' }, { authorization: 'Bearer k' })).status).toBe(400);
      expect((await post(guarded, { id: '../etc', mode: 'legacy' }, { authorization: 'Bearer k' })).status).toBe(400);
      const { request } = await import('node:http');
      const status = await new Promise<number>((ok, fail) => {
        const req = request(new URL('/api/state', guarded.url), { headers: { host: 'attacker.example' } }, (res) => {
          res.resume();
          ok(res.statusCode ?? 0);
        });
        req.on('error', fail);
        req.end();
      });
      expect(status).toBe(421);
      expect(guarded.host).toBe('127.0.0.1');
    } finally {
      if (prev !== undefined) process.env.SSOT_DASHBOARD_TOKEN = prev;
      await open.close();
      await guarded.close();
    }
  });
});
