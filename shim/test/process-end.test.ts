// Telemetry survives how processes and threads really end, and the shim does not change how
// they end. Real child processes, real signals, real worker threads.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURES = fileURLToPath(new URL('./__fixtures__/exit/', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssot-process-end-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lines: Array<Record<string, unknown>>;
}

let runs = 0;
/**
 * Starts a fixture with its own telemetry directory (a long flush interval: only the end of the
 * process can have written), optionally sends `signal` 100 ms after it printed "called".
 */
function runChild(script: string, args: string[], options: { signal?: NodeJS.Signals; noShim?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Ended> {
  const out = join(dir, `run-${++runs}`);
  const child = spawn(process.execPath, ['--no-deprecation', join(FIXTURES, script), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      SSOT_SHIM_TELEMETRY: join(out, 'shim.jsonl'),
      SSOT_SHIM_TELEMETRY_INTERVAL_MS: '600000',
      SSOT_SHIM_TOGGLES: 'off',
      SSOT_SHIM: '',
      SSOT_TEST_NO_SHIM: options.noShim ? '1' : '',
      NODE_OPTIONS: '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (options.signal && !signalled && stdout.includes('called\n')) {
      signalled = true;
      setTimeout(() => child.kill(options.signal), 100);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Only a safety net: on a loaded 2-core machine a dozen node start-ups can take a while.
  const killer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      void (async () => {
        const lines: Array<Record<string, unknown>> = [];
        const files = await readdir(out).catch(() => [] as string[]);
        for (const f of files.sort()) {
          for (const l of (await readFile(join(out, f), 'utf8')).split('\n')) if (l.trim()) lines.push({ file: f, ...(JSON.parse(l) as Record<string, unknown>) });
        }
        resolve({ code, signal, stdout, stderr, lines });
      })();
    });
  });
}

const uses = (e: Ended) => e.lines.filter((l) => l.kind === undefined && l.id === 'WSMX1');
const coverage = (e: Ended) => e.lines.filter((l) => l.kind === 'coverage');
const calls = (e: Ended) => uses(e).reduce((n, l) => n + (l.count as number), 0);

describe('a process stopped by a signal', () => {
  it('has its legacy call in telemetry 100 ms after it, and still dies by that signal (no app handler)', async () => {
    const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGTERM', 'SIGINT'] : ['SIGTERM', 'SIGINT', 'SIGHUP'];
    const [baseline, idle, ...ended] = await Promise.all([
      runChild('signal-child.mjs', ['none', 'SIGTERM'], { signal: 'SIGTERM', noShim: true }),
      runChild('signal-child.mjs', ['idle', 'SIGTERM'], { signal: 'SIGTERM' }),
      ...signals.map((s) => runChild('signal-child.mjs', ['none', s], { signal: s })),
    ]);
    // Without the shim, Node's default: killed by the signal.
    expect(baseline).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(baseline.lines).toEqual([]);
    // A process that loaded the strangled code and never called it still reports coverage.
    expect(idle).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(uses(idle)).toEqual([]);
    expect(coverage(idle)).toEqual([expect.objectContaining({ final: true, reason: 'SIGTERM', ids: ['WSMX1'], pid: expect.any(Number) })]);
    signals.forEach((s, i) => {
      const e = ended[i]!;
      expect({ signal: e.signal, code: e.code, stderr: e.stderr }).toEqual({ signal: s, code: null, stderr: '' });
      expect(calls(e)).toBe(1);
      expect(coverage(e).at(-1)).toMatchObject({ final: true, reason: s, ids: ['WSMX1'] });
    });
  }, 180_000);

  it('leaves an app handler in charge: it runs, and the process ends as the app says', async () => {
    const [baseline, withShim, once] = await Promise.all([
      runChild('signal-child.mjs', ['handler', 'SIGTERM'], { signal: 'SIGTERM', noShim: true }),
      runChild('signal-child.mjs', ['handler', 'SIGTERM'], { signal: 'SIGTERM' }),
      // A `once` handler is gone by the time later listeners run: the shim still sees it.
      runChild('signal-child.mjs', ['once', 'SIGINT'], { signal: 'SIGINT' }),
    ]);
    expect(baseline).toMatchObject({ code: 7, signal: null });
    expect(baseline.stdout).toContain('app handler');
    expect(withShim).toMatchObject({ code: 7, signal: null, stderr: '' });
    expect(withShim.stdout).toContain('app handler');
    expect(once).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(once.stdout).toContain('app handler');
    for (const e of [withShim, once]) {
      expect(calls(e)).toBe(1);
      const cov = coverage(e);
      // The flush at the signal was not the end (the app lived on); the exit was.
      expect(cov.filter((c) => c.final)).toHaveLength(1);
      expect(cov.at(-1)).toMatchObject({ final: true, reason: 'exit' });
      // Each line starts where the previous ended: no gap.
      for (let i = 1; i < cov.length; i++) expect(cov[i]!.start).toBe(cov[i - 1]!.end);
    }
  }, 180_000);
});

describe('worker threads', () => {
  it("a terminated worker's calls reach the main thread's file", async () => {
    const e = await runChild('worker-child.mjs', ['collector']);
    expect(e).toMatchObject({ code: 0, signal: null });
    expect(e.stdout).toContain('worker gone');
    expect(calls(e)).toBe(3);
    // One file: the worker handed its use to the main thread, whose coverage lists the id.
    expect(new Set(e.lines.map((l) => l.file))).toEqual(new Set(['shim.jsonl']));
    expect(uses(e)[0]).toMatchObject({ 'code.file.path': join(FIXTURES, 'worker-child.mjs') });
    expect(coverage(e).at(-1)).toMatchObject({ final: true, reason: 'exit', ids: ['WSMX1'] });
  }, 180_000);

  it("without a file (Prometheus only), a terminated worker's calls are in the main thread's metrics", async () => {
    const e = await runChild('worker-child.mjs', ['metrics'], { env: { SSOT_SHIM_TELEMETRY: 'off' } });
    expect(e).toMatchObject({ code: 0, signal: null });
    expect(e.lines).toEqual([]);
    expect(e.stdout).toContain('ssot_shim_calls_total{id="WSMX1",symbol="legacyCall",mode="canonical"} 3');
    expect(e.stdout).toMatch(/ssot_shim_installed\{id="WSMX1",[^}]*\} 1/);
  }, 180_000);

  it('a worker whose main thread runs no shim writes its own file, ending with a final line', async () => {
    const e = await runChild('worker-child.mjs', ['alone']);
    expect(e).toMatchObject({ code: 0, signal: null });
    expect(calls(e)).toBe(3);
    const files = new Set(e.lines.map((l) => l.file));
    expect(files.size).toBe(1);
    expect([...files][0]).toMatch(/^shim-t\d+\.jsonl$/);
    expect(uses(e)[0]!.thread).toBeGreaterThan(0);
    expect(coverage(e).at(-1)).toMatchObject({ final: true, reason: 'exit' });
  }, 180_000);
});
