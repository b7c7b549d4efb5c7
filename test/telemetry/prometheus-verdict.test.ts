// The verdict from a real Prometheus (Debian's package) scraping two real app processes on
// loopback: in use while one calls the legacy entry point; unused once the window has passed with
// both up and no call; unknown while the window holds a stretch where one of them was down.
// Scrapes every second and a 5 s window keep it to well under a minute. remove-shim's gate
// (`--telemetry prometheus+http://…`) and the dashboard read the same server and agree.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { legacyVerdicts, openEvidenceSource, windowEnding } from '../../shim/index.js';
import type { IdVerdict } from '../../shim/index.js';
import { RepoSnapshot } from '../../codemods/index.js';
import { planRemoveShim } from '../../codemods/remove-shim/index.js';
import { startDashboard } from '../../scripts/dashboard/index.js';
import { startPrometheus } from '../helpers/prometheus-server.js';
import type { PrometheusHandle } from '../helpers/prometheus-server.js';

const APP = fileURLToPath(new URL('./metrics-app.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WINDOW_MS = 5000;
const SCRAPE_MS = 1000;

interface App {
  port: number;
  proc: ChildProcessWithoutNullStreams;
  send(command: 'call' | 'quiet'): void;
  kill(): Promise<void>;
}

const apps = new Set<App>();
let prometheus: PrometheusHandle | undefined;
let repo: string | undefined;
afterAll(async () => {
  await Promise.all([...apps].map((a) => a.kill()));
  await prometheus?.dispose();
  if (repo) rmSync(repo, { recursive: true, force: true });
});

/** A repo whose manifest owns WSM901 and imports nothing legacy: only the telemetry decides. */
function gateRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-prom-gate-'));
  const files: Record<string, string> = {
    'ssot.config.json': JSON.stringify({
      canonical: { module: 'src/canonical', exports: ['createWebSocketManager'], contextType: 'Ctx', factory: 'createWebSocketManager' },
      legacy: [{ id: 'WSM901', module: 'src/legacy', symbols: { getManager: 'createWebSocketManager' } }],
      adapters: [],
      duplicateTypes: [],
      verify: { typecheck: 'true', test: 'true' },
    }),
    'src/legacy.ts': 'export function getManager() {\n  return 1;\n}\n',
    'src/canonical.ts': 'export function createWebSocketManager() {\n  return 1;\n}\n',
    'src/app.ts': "import { createWebSocketManager } from './canonical';\nexport const m = createWebSocketManager();\n",
  };
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
  }
  return dir;
}

/** remove-shim's gate and the dashboard, both pointed at the Prometheus server, on the same window. */
async function gateAndDashboard(now = Date.now()): Promise<{ refusal: string | undefined; trailers: Record<string, string> | undefined; dashboard: string | undefined; safe: boolean }> {
  repo ??= gateRepo();
  const spec = `prometheus+${prometheus!.url}`;
  const plan = await planRemoveShim(await RepoSnapshot.open(repo), { telemetry: [spec], windowMs: WINDOW_MS, now: () => now });
  const dashboard = await startDashboard({ telemetry: [spec], repo, port: 0, windowMs: WINDOW_MS, now: () => now, togglesFile: path.join(repo, 'toggles.json'), flipLogFile: path.join(repo, 'flips.jsonl') });
  try {
    const v = dashboard.view().ids.find((i) => i.id === 'WSM901')!.verdict;
    return { refusal: plan.refusal, trailers: plan.trailers, dashboard: v.telemetry?.verdict, safe: v.safe };
  } finally {
    await dashboard.close();
  }
}

async function startApp(port = 0): Promise<App> {
  const proc = spawn(process.execPath, ['--no-deprecation', APP, String(port)], {
    cwd: ROOT,
    env: { ...process.env, SSOT_SHIM_TELEMETRY: 'off', SSOT_SHIM_TOGGLES: 'off', SSOT_SHIM: '', SSOT_SHIM_SERVICE: 'app', SSOT_SHIM_VERSION: 'test', NODE_OPTIONS: '' },
  });
  let out = '';
  const listening = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start: ${out}`)), 120_000);
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => reject(new Error(`app exited (${code}): ${out}`)));
  });
  const app: App = {
    port: listening,
    proc,
    send: (command) => proc.stdin.write(`${command}\n`),
    kill: async () => {
      apps.delete(app);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGKILL');
      await exited;
    },
  };
  apps.add(app);
  return app;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function verdictNow(now = Date.now()): Promise<IdVerdict> {
  const report = await legacyVerdicts(openEvidenceSource(`prometheus+${prometheus!.url}`), ['WSM901'], windowEnding(WINDOW_MS, now));
  return report.verdicts[0]!;
}

/** Polls until the verdict is `expected` (scrapes land on their own schedule); returns the last one seen. */
async function until(expected: IdVerdict['verdict'], timeoutMs: number): Promise<IdVerdict> {
  const deadline = Date.now() + timeoutMs;
  let last = await verdictNow();
  while (last.verdict !== expected && Date.now() < deadline) {
    await sleep(250);
    last = await verdictNow();
  }
  return last;
}

describe('verdict from a real Prometheus', () => {
  it('in use, then unused after a quiet window with both up, then unknown with one down for part of the window', async () => {
    const [a, b] = await Promise.all([startApp(), startApp()]);
    prometheus = await startPrometheus({ job: 'app', targets: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`], scrapeIntervalMs: SCRAPE_MS });
    a.send('call');

    // Prometheus applies its first target set after a few seconds; then A's calls show.
    const inUse = await until('in use', 60_000);
    expect(inUse.verdict).toBe('in use');
    expect(inUse.calls).toBeGreaterThan(0);
    expect(inUse.lastSeen).toBeDefined();
    // A is still calling: the gate refuses, and the dashboard says the same
    const gateInUse = await gateAndDashboard();
    expect(gateInUse.refusal).toMatch(/^telemetry \(prometheus http:\/\/127\.0\.0\.1:\d+, window 5s ending .*\): 1 in use, 0 unknown[\s\S]*WSM901: in use: \d+ call\(s\)/);
    expect(gateInUse).toMatchObject({ dashboard: 'in use', safe: false });

    // A stops calling; once a whole window has passed with both scraped, nothing is left in it.
    a.send('quiet');
    const quietSince = Date.now();
    const unused = await until('unused', 60_000);
    expect(unused.verdict).toBe('unused');
    expect(Date.now() - quietSince).toBeGreaterThanOrEqual(WINDOW_MS - SCRAPE_MS);
    expect(unused.reasons).toEqual([]);
    expect(unused.coverage.ratio).toBe(1);
    expect(unused.coverage.instances.map((i) => i.labels.instance).sort()).toEqual([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].sort());
    expect(unused.coverage.instances.every((i) => i.labels.service === 'app' && i.end.kind === 'running')).toBe(true);
    // both up, no call: the gate opens on Prometheus's evidence and the dashboard agrees
    const gateUnused = await gateAndDashboard();
    expect(gateUnused.refusal).toBeUndefined();
    expect(gateUnused).toMatchObject({ dashboard: 'unused', safe: true });
    expect(gateUnused.trailers?.['SSOT-Telemetry']).toMatch(/^1 id\(s\) unused; window 5s .*; 2 run\(s\); source prometheus http:\/\/127\.0\.0\.1:\d+$/);

    // B goes down for a few scrapes and comes back on the same port: the window holds the outage.
    await b.kill();
    await sleep(2.5 * SCRAPE_MS);
    const b2 = await startApp(b.port);
    await sleep(1.5 * SCRAPE_MS);
    const outageInWindow = Date.now();
    const unknown = await verdictNow(outageInWindow);
    expect(unknown.verdict).toBe('unknown');
    expect(unknown.calls).toBe(0);
    expect(unknown.reasons.join('\n')).toContain(`app 127.0.0.1:${b2.port} down (up == 0)`);
    expect(unknown.coverage.holes.length).toBeGreaterThan(0);
    // the same window (Prometheus answers for a past instant alike), however long the gate takes to start
    const gateUnknown = await gateAndDashboard(outageInWindow);
    expect(gateUnknown.refusal).toMatch(/0 in use, 1 unknown[\s\S]*WSM901: unknown: .*down \(up == 0\)/);
    expect(gateUnknown).toMatchObject({ dashboard: 'unknown', safe: false });

    // The outage leaves the window: unused again, B's restarted process covering.
    const again = await until('unused', 60_000);
    expect(again.verdict).toBe('unused');
  }, 300_000);
});
