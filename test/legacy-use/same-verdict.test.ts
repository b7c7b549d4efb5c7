/**
 * "Safe to delete" has one definition (codemods/legacy-use): remove-shim's gate and the dashboard
 * give the same verdict — also on a repo that reaches a legacy module only through a tsconfig
 * `paths` alias, which a textual scan of relative specifiers would miss — and the same telemetry
 * verdict (*in use* / *unused* / *unknown*, with the same coverage) from the same files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { RepoSnapshot } from '../../codemods/index.js';
import { planRemoveShim } from '../../codemods/remove-shim/index.js';
import { startDashboard } from '../../scripts/dashboard/index.js';
import { repoStatus } from '../../scripts/runner/status.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const HOUR = 3_600_000;
/** One process with WSM001 installed, up from `fromMs` ago until now (still running), and optional use lines. */
function telemetry(fromMs: number, useAgoMs?: number): string {
  const now = Date.now();
  const iso = (ago: number) => new Date(now - ago).toISOString();
  const lines: string[] = [];
  for (let m = fromMs; m > 0; m -= 60_000) lines.push(JSON.stringify({ kind: 'coverage', v: 1, ts: iso(Math.max(0, m - 60_000)), service: 'app', version: '1', host: 'h', pid: 7, started: iso(fromMs), ids: ['WSM001'], start: iso(m), end: iso(Math.max(0, m - 60_000)), intervalMs: 120_000 }));
  if (useAgoMs !== undefined) lines.push(JSON.stringify({ v: 1, ts: iso(useAgoMs), pid: 7, host: 'h', id: 'WSM001', symbol: 'getManager', mode: 'canonical', count: 2, methodCalls: 0, firstSeen: iso(useAgoMs), lastSeen: iso(useAgoMs) }));
  return `${lines.join('\n')}\n`;
}

function repo(app: string, jsonl = telemetry(2 * HOUR)): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-verdict-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'ssot.config.json': JSON.stringify({
      canonical: { module: 'src/canonical', exports: ['createWebSocketManager'], contextType: 'Ctx', factory: 'createWebSocketManager' },
      legacy: [{ id: 'WSM001', module: 'src/legacy/manager', symbols: { getManager: 'createWebSocketManager' } }],
      adapters: [],
      duplicateTypes: [],
      verify: { typecheck: 'true', test: 'true' },
    }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, paths: { '@legacy/*': ['./src/legacy/*'] } } }),
    'src/legacy/manager.ts': 'export function getManager() {\n  return 1;\n}\n',
    'src/canonical.ts': 'export function createWebSocketManager() {\n  return 1;\n}\n',
    'src/app.ts': app,
    'telemetry/shim.jsonl': jsonl,
  };
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
  }
  return dir;
}

interface Both {
  gate: { safe: boolean; reason?: string };
  dashboard: { safe: boolean; imports?: string; calls?: string; telemetry?: string; ratio?: number };
  status: { safe: boolean; calls?: string; telemetry?: string; ratio?: number };
}

async function verdicts(dir: string): Promise<Both> {
  // one clock for all three, so their windows are the same hour
  const now = Date.now();
  const plan = await planRemoveShim(await RepoSnapshot.open(dir), { telemetry: ['telemetry'], windowMs: HOUR, now: () => now });
  const dashboard = await startDashboard({ telemetry: [path.join(dir, 'telemetry')], repo: dir, port: 0, windowMs: HOUR, now: () => now, togglesFile: path.join(dir, 'toggles.json'), flipLogFile: path.join(dir, 'flips.jsonl') });
  const status = (await repoStatus(dir, { telemetry: [path.join(dir, 'telemetry')], windowMs: HOUR, now })).verdicts.find((v) => v.id === 'WSM001')!;
  try {
    const v = dashboard.view().ids.find((i) => i.id === 'WSM001')!.verdict;
    const imports = v.checks.find((c) => c.name === 'imports');
    const calls = (x: typeof v) => x.checks.find((c) => c.name === 'calls')!.detail;
    return {
      gate: { safe: plan.refusal === undefined, ...(plan.refusal ? { reason: plan.refusal } : {}) },
      dashboard: { safe: v.safe, ...(imports && imports.status === 'fail' ? { imports: imports.detail } : {}), calls: calls(v), telemetry: v.telemetry!.verdict, ratio: v.telemetry!.coverage.ratio },
      status: { safe: status.safe, calls: calls(status), telemetry: status.telemetry!.verdict, ratio: status.telemetry!.coverage.ratio },
    };
  } finally {
    await dashboard.close();
  }
}

describe('the gate and the dashboard agree', () => {
  test('a legacy module imported only through a `paths` alias: neither says safe, both name the import', async () => {
    const v = await verdicts(repo("import { getManager } from '@legacy/manager';\nexport const m = getManager();\n"));
    expect(v.gate.safe).toBe(false);
    expect(v.gate.reason).toContain("src/app.ts:1 still imports legacy module src/legacy/manager ('@legacy/manager')");
    expect(v.dashboard.safe).toBe(false);
    expect(v.dashboard.imports).toBe('1 import(s) left: src/app.ts:1');
  }, 60_000);

  test('once the alias import is gone, both say safe', async () => {
    const v = await verdicts(repo("import { createWebSocketManager } from './canonical';\nexport const m = createWebSocketManager();\n"));
    expect(v.gate).toEqual({ safe: true });
    expect(v.dashboard).toMatchObject({ safe: true, telemetry: 'unused', ratio: 1, });
    expect(v.dashboard.calls).toMatch(/^unused: zero calls; covered 100\.0% of 1h by 1 run\(s\), evidence until \S+Z$/);
    expect(v.status).toEqual({ safe: true, telemetry: 'unused', ratio: 1, calls: v.dashboard.calls });
  }, 60_000);

  test('telemetry with a call in the window: all three say in use, with the same coverage', async () => {
    const v = await verdicts(repo("import { createWebSocketManager } from './canonical';\nexport const m = createWebSocketManager();\n", telemetry(2 * HOUR, 10 * 60_000)));
    expect(v.gate.safe).toBe(false);
    expect(v.gate.reason).toMatch(/1 in use, 0 unknown[\s\S]*WSM001: in use: 2 call\(s\)/);
    expect(v.dashboard).toMatchObject({ safe: false, telemetry: 'in use', ratio: 1 });
    expect(v.status).toEqual({ safe: false, telemetry: 'in use', ratio: 1, calls: v.dashboard.calls });
    expect(v.gate.reason).toContain(v.dashboard.calls!);
  }, 60_000);

  test('coverage for only the last 20 minutes of the hour: all three say unknown, 33% covered', async () => {
    const v = await verdicts(repo("import { createWebSocketManager } from './canonical';\nexport const m = createWebSocketManager();\n", telemetry(20 * 60_000)));
    expect(v.gate.reason).toMatch(/0 in use, 1 unknown/);
    expect(v.dashboard).toMatchObject({ safe: false, telemetry: 'unknown' });
    expect(v.dashboard.ratio).toBeCloseTo(1 / 3, 2);
    expect(v.dashboard.calls).toMatch(/^unknown: no run with WSM001 installed observed from \S+Z to \S+Z; covered 33\.\d% of 1h by 1 run\(s\), evidence until \S+Z$/);
    expect(v.status).toEqual({ safe: false, telemetry: 'unknown', ratio: v.dashboard.ratio, calls: v.dashboard.calls });
    expect(v.gate.reason).toContain(`WSM001: ${v.dashboard.calls}`);
  }, 60_000);
});
