// The verdict from a real Prometheus (Debian's package) scraping two real app processes on
// loopback: in use while one calls the legacy entry point; unused once the window has passed with
// both up and no call; unknown while the window holds a stretch where one of them was down.
// Scrapes every second and a 5 s window keep it to well under a minute.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { legacyVerdicts, openEvidenceSource, windowEnding } from '../../shim/index.js';
import type { IdVerdict } from '../../shim/index.js';
import { startPrometheus } from '../helpers/prometheus-server.js';
import type { PrometheusHandle } from '../helpers/prometheus-server.js';

const APP = fileURLToPath(new URL('./metrics-app.ts', import.meta.url));
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
afterAll(async () => {
  await Promise.all([...apps].map((a) => a.kill()));
  await prometheus?.dispose();
});

async function startApp(port = 0): Promise<App> {
  const proc = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', APP, String(port)], {
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

async function verdictNow(): Promise<IdVerdict> {
  const report = await legacyVerdicts(openEvidenceSource(`prometheus+${prometheus!.url}`), ['WSMP1'], windowEnding(WINDOW_MS));
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

    // B goes down for a few scrapes and comes back on the same port: the window holds the outage.
    await b.kill();
    await sleep(2.5 * SCRAPE_MS);
    const b2 = await startApp(b.port);
    await sleep(1.5 * SCRAPE_MS);
    const unknown = await verdictNow();
    expect(unknown.verdict).toBe('unknown');
    expect(unknown.calls).toBe(0);
    expect(unknown.reasons.join('\n')).toContain(`app 127.0.0.1:${b2.port} down (up == 0)`);
    expect(unknown.coverage.holes.length).toBeGreaterThan(0);

    // The outage leaves the window: unused again, B's restarted process covering.
    const again = await until('unused', 60_000);
    expect(again.verdict).toBe('unused');
  }, 300_000);
});
