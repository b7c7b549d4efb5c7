import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { legacyUse, RepoSnapshot } from '../../codemods/index.js';
import { parseDuration } from '../../shim/duration.js';
import { createShimRuntime } from '../../shim/runtime.js';
import type { TelemetryLine } from '../../shim/telemetry.js';
import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { request } from 'node:http';
import { JsonlTail, parseHostHeader, startDashboard, tokenMatches, bearerToken, type DashboardView } from '../../scripts/dashboard/index.js';
import { command as dashboardCommand } from '../../scripts/commands/dashboard.js';
import { git, makeReviewRepo } from '../review/fixture.js';
import { BUILT_CLI } from '../runner/cli-process.js';

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
      expect(guarded.host).toBe('127.0.0.1');
    } finally {
      if (prev !== undefined) process.env.SSOT_DASHBOARD_TOKEN = prev;
      await open.close();
      await guarded.close();
    }
  });
});

/** GET with an explicit Host header (fetch would not let a test send a foreign one). */
function getWithHost(url: URL, host: string): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

/** A WebSocket upgrade of /ws with an explicit Host: the HTTP status it gets, or 101. */
function upgradeWithHost(url: URL, host: string): Promise<number> {
  return new Promise((ok) => {
    const ws = new WebSocket(new URL('/ws', url).toString().replace('http', 'ws'), { headers: { host } });
    ws.on('upgrade', () => ok(101));
    ws.on('open', () => ws.terminate());
    ws.on('unexpected-response', (_req, res) => {
      ok(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe('the Host check (DNS rebinding)', () => {
  it('serves exactly the configured names (here localhost and a proxy name) and the literal loopback addresses, with the port; refuses every other Host on every path', async () => {
    const file = path.join(dir, 'hosts.jsonl');
    writeFileSync(file, line('WSM001', 1) + '\n');
    const dashboard = await startDashboard({ telemetry: [file], port: 0, togglesFile: path.join(dir, 'hosts-toggles.json'), allowedHosts: ['localhost', 'dash.internal.example'] });
    try {
      const url = new URL(dashboard.url);
      const p = dashboard.port;
      const allowed = [`127.0.0.1:${p}`, `localhost:${p}`, `LOCALHOST:${p}`, `[::1]:${p}`, `127.0.0.2:${p}`, `dash.internal.example:${p}`];
      const refused = [
        `127.evil.example:${p}`, // once accepted: "starts with 127."
        `127.0.0.1.nip.io:${p}`, // a name that resolves to loopback
        `attacker.example:${p}`,
        `localhost.evil.example:${p}`,
        `dash.internal.example.evil:${p}`,
        `127.0.0.1:${p + 1}`, // another port
        '127.0.0.1', // no port: 80
        `127.0.0.1:${p}@evil`,
      ];
      for (const host of allowed) {
        expect(await getWithHost(new URL('/api/state', url), host), host).toBe(200);
        expect(await upgradeWithHost(url, host), `ws ${host}`).toBe(101);
      }
      for (const host of refused) {
        for (const route of ['/api/state', '/metrics', '/', '/healthz']) expect(await getWithHost(new URL(route, url), host), `${route} ${host}`).toBe(421);
        expect(await upgradeWithHost(url, host), `ws ${host}`).toBe(403);
      }
    } finally {
      await dashboard.close();
    }
  });

  it('parses Host headers strictly', () => {
    expect(parseHostHeader('127.0.0.1:4780')).toEqual({ name: '127.0.0.1', port: 4780 });
    expect(parseHostHeader('[::1]:80')).toEqual({ name: '[::1]', port: 80 });
    expect(parseHostHeader('Example.COM')).toEqual({ name: 'example.com', port: undefined });
    for (const bad of [undefined, '', 'a b:1', 'x:1:2', '[::1', 'host:999999', 'user@host:1']) expect(parseHostHeader(bad), String(bad)).toBeUndefined();
  });
});

describe('the flip token never on the command line', () => {
  it('--token is refused (exit 2, pointing at --token-file); an empty or missing token file is refused too', async () => {
    const file = path.join(dir, 'cli.jsonl');
    writeFileSync(file, line('WSM001', 1) + '\n');
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await dashboardCommand.run(['--telemetry', file, '--token', 's3cret'])).toBe(2);
      expect(errors.join('')).toMatch(/--token-file/);
      expect(errors.join('')).not.toContain('s3cret');
      const empty = path.join(dir, 'empty-token');
      writeFileSync(empty, '\n');
      expect(await dashboardCommand.run(['--telemetry', file, '--token-file', empty])).toBe(2);
      expect(await dashboardCommand.run(['--telemetry', file, '--token-file', path.join(dir, 'no-such-token')])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
  });

  it('--token-file guards flips with the file\'s token, and the token is not in the process arguments', async () => {
    const file = path.join(dir, 'cli2.jsonl');
    writeFileSync(file, line('WSM001', 1) + '\n');
    const tokenFile = path.join(dir, 'flip-token');
    writeFileSync(tokenFile, 'file-token-0123456789\n');
    chmodSync(tokenFile, 0o600);
    const args = [BUILT_CLI, 'dashboard', '--telemetry', file, '--port', '0', '--toggles', path.join(dir, 'cli-toggles.json'), '--token-file', tokenFile];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /dashboard on (http:\/\/\S+)/.exec(out);
          if (m) ok(m[1]!);
        });
        child.once('exit', (code) => fail(new Error(`dashboard exited (${code})`)));
      });
      expect(args.join(' ')).not.toContain('file-token');
      const flip = (token: string) =>
        fetch(new URL('/api/flip', url), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ id: 'WSM001', mode: 'legacy', by: 'test' }) });
      expect((await flip('wrong')).status).toBe(401);
      expect((await flip('file-token-0123456789')).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
  it('the page’s hints name only flags the dashboard command accepts (never --token, which it refuses)', async () => {
    const prev = process.env.SSOT_DASHBOARD_TOKEN;
    delete process.env.SSOT_DASHBOARD_TOKEN;
    const file = path.join(dir, 'hint.jsonl');
    writeFileSync(file, line('WSM001', 1) + '\n');
    const d = await startDashboard({ telemetry: [file], port: 0, togglesFile: path.join(dir, 'hint-toggles.json') });
    try {
      const flags = new Set(dashboardCommand.flags());
      const text = (await Promise.all(['/', '/app.js'].map(async (p) => (await fetch(new URL(p, d.url))).text()))).join('\n');
      const named = [...text.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!);
      expect(named).toContain('token-file');
      expect(named.filter((f) => !flags.has(f))).toEqual([]);
    } finally {
      await d.close();
      if (prev !== undefined) process.env.SSOT_DASHBOARD_TOKEN = prev;
    }
  });

  it('SSOT_DASHBOARD_TOKEN is trimmed like a --token-file token (a secret mounted with its trailing newline still guards flips)', async () => {
    const prev = process.env.SSOT_DASHBOARD_TOKEN;
    process.env.SSOT_DASHBOARD_TOKEN = 'env-token-0123456789\n';
    const file = path.join(dir, 'env.jsonl');
    writeFileSync(file, line('WSM001', 1) + '\n');
    const d = await startDashboard({ telemetry: [file], port: 0, togglesFile: path.join(dir, 'env-toggles.json') });
    try {
      const flip = (token: string) => fetch(new URL('/api/flip', d.url), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ id: 'WSM001', mode: 'legacy', by: 'test' }) });
      expect((await flip('env-token-012345678')).status).toBe(401);
      expect((await flip('env-token-0123456789')).status).toBe(200);
      process.env.SSOT_DASHBOARD_TOKEN = ' \n';
      const blank = await startDashboard({ telemetry: [file], port: 0, togglesFile: path.join(dir, 'env-toggles.json') });
      try {
        expect(blank.view().flipsEnabled).toBe(false);
      } finally {
        await blank.close();
      }
    } finally {
      await d.close();
      if (prev === undefined) delete process.env.SSOT_DASHBOARD_TOKEN;
      else process.env.SSOT_DASHBOARD_TOKEN = prev;
    }
  });

  describe('--live --run MODULE: the dashboard hosts the app, and stops with it', () => {
    // the built CLI (dist/, as an installed package runs it; test/runner/built-cli.mjs), not the checkout's bin (the sources through tsx)
    const bin = BUILT_CLI;
    /** Starts `dashboard --live --run app` on the bin; resolves once both the dashboard and (when it says so) the app are up. */
    const host = (app: string, ready: RegExp) => {
      const child = spawn(process.execPath, [bin, 'dashboard', '--live', '--run', app, '--port', '0'], { cwd: dir, env: { ...process.env, SSOT_SHIM_TELEMETRY: 'off', SSOT_SHIM_TOGGLES: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
      return { child, exited, output: () => out, up: () => expect.poll(() => /dashboard on http/.test(out) && ready.test(out), { timeout: 30_000 }).toBe(true) };
    };
    /** Within `ms`, or undefined (then the child is killed: nothing outlives the test). */
    const within = async <T,>(p: Promise<T>, ms: number, child: ReturnType<typeof spawn>): Promise<T | undefined> => {
      const r = await Promise.race([p, new Promise<undefined>((ok) => setTimeout(() => ok(undefined), ms))]);
      if (r === undefined) {
        child.kill('SIGKILL');
        await p;
      }
      return r;
    };

    it('SIGTERM ends the process although the app holds a server open', async () => {
      const app = path.join(dir, 'app-server.mjs');
      writeFileSync(app, "import { createServer } from 'node:http';\nconst s = createServer((q, r) => r.end('hi'));\ns.listen(0, '127.0.0.1', () => console.log(`app on ${s.address().port}`));\n");
      const h = host(app, /app on \d+/);
      await h.up();
      h.child.kill('SIGTERM');
      expect(await within(h.exited, 15_000, h.child), h.output()).toEqual({ code: 0, signal: null });
    }, 60_000);

    it('an app with its own SIGTERM listener shuts itself down (its handler runs), and the process ends', async () => {
      const app = path.join(dir, 'app-graceful.mjs');
      writeFileSync(app, "import { createServer } from 'node:http';\nconst s = createServer((q, r) => r.end('hi'));\ns.listen(0, '127.0.0.1', () => console.log('app up'));\nprocess.on('SIGTERM', () => s.close(() => console.log('app: closed')));\n");
      const h = host(app, /app up/);
      await h.up();
      h.child.kill('SIGTERM');
      expect(await within(h.exited, 15_000, h.child), h.output()).toEqual({ code: 0, signal: null });
      expect(h.output()).toContain('app: closed');
    }, 60_000);

    it('a module that fails to load stops the dashboard with exit 1 and says why', async () => {
      const h = host(path.join(dir, 'no-such-app.mjs'), /./);
      expect(await within(h.exited, 15_000, h.child), h.output()).toEqual({ code: 1, signal: null });
      expect(h.output()).toMatch(/--run .*no-such-app\.mjs failed: /);
    }, 60_000);

    it('a module that opens a server and then throws while loading also ends the process with exit 1 (its server does not keep it up)', async () => {
      const app = path.join(dir, 'app-half-loaded.mjs');
      writeFileSync(app, "import { createServer } from 'node:http';\nconst s = createServer((q, r) => r.end('hi'));\nawait new Promise((ok) => s.listen(0, '127.0.0.1', ok));\nthrow new Error('config missing');\n");
      const h = host(app, /./);
      expect(await within(h.exited, 15_000, h.child), h.output()).toEqual({ code: 1, signal: null });
      expect(h.output()).toMatch(/--run .*app-half-loaded\.mjs failed: config missing/);
    }, 60_000);
  });
});
