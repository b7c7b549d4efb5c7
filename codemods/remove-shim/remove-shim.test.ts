import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../shim/duration.js';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import { planRemoveShim, type RemoveShimOptions } from './index.js';

const manifest = withDefaults({
  canonical: { module: 'ssot-migrate/canonical', exports: ['createWebSocketManager'], contextType: 'UserExecutionContext', factory: 'createWebSocketManager' },
  legacy: [{ id: 'WSM001', module: 'src/ws/manager', symbols: { getManager: 'createWebSocketManager' } }],
  adapters: [{ id: 'WSM008', module: 'src/ws/adapter', class: 'Adapter', unwrapArg: 0, methods: {} }],
  exclude: ['src/ws/manager.legacy.ts', 'src/ws/adapter.legacy.ts'],
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const d = mkdtempSync(join(os.tmpdir(), 'ssot-remove-shim-'));
  dirs.push(d);
  const all: Record<string, string> = {
    'ssot.config.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'src/ws/manager.ts': "// ssot-migrate: strangler facade (WSM001).\nimport * as frozen from './manager.legacy.js';\nexport const getManager = frozen.getManager;\n",
    'src/ws/manager.legacy.ts': 'export function getManager() { return 1; }\n',
    'src/ws/adapter.ts': "// ssot-migrate: strangler facade (WSM008).\nexport { Adapter } from './adapter.legacy.js';\n",
    'src/ws/adapter.legacy.ts': 'export class Adapter {}\n',
    'src/app.ts': "import { createWebSocketManager } from 'ssot-migrate/canonical';\nexport const m = createWebSocketManager;\n",
    ...files,
  };
  for (const [f, t] of Object.entries(all)) {
    mkdirSync(dirname(join(d, f)), { recursive: true });
    writeFileSync(join(d, f), t);
  }
  return d;
}

const line = (o: Record<string, unknown>): string => `${JSON.stringify({ v: 1, ts: '2026-01-01T00:00:00Z', pid: 1, host: 'h', symbol: 'getManager', mode: 'canonical', count: 1, methodCalls: 0, firstSeen: '2026-01-01T00:00:00Z', ...o })}\n`;
const planRemoveShimWith = (opts: RemoveShimOptions & { window?: string } = {}) => async (repo: string) => {
  const { window, ...rest } = opts;
  return planRemoveShim(await RepoSnapshot.open(repo), { ...rest, ...(window ? { windowMs: parseDuration(window) } : {}) });
};

describe('remove-shim', () => {
  it('deletes every facade and frozen file and their exclude entries once nothing uses them', async () => {
    const r = repo({});
    const plan = await planRemoveShimWith()(r);
    expect(plan.refusal).toBeUndefined();
    const deleted = plan.writes.filter((w) => w.content === null).map((w) => w.path).sort();
    expect(deleted).toEqual(['src/ws/adapter.legacy.ts', 'src/ws/adapter.ts', 'src/ws/manager.legacy.ts', 'src/ws/manager.ts']);
    expect(JSON.parse(String(plan.writes.find((w) => w.path === 'ssot.config.json')?.content)).exclude).toEqual([]);
    expect(plan.summary).toContain('no telemetry given');
  });

  it('refuses while any import of a legacy path remains (any form), naming the file and line', async () => {
    const r = repo({ 'src/late.ts': "export async function f() {\n  return import('./ws/manager.js');\n}\n" });
    const plan = await planRemoveShimWith()(r);
    expect(plan.refusal).toMatch(/1 import\(s\) of legacy modules remain: src\/late\.ts:2 still imports legacy module src\/ws\/manager/);
    expect(plan.writes).toEqual([]);
  });

  it('refuses while a TODO(ssot) marker remains', async () => {
    const r = repo({ 'src/todo.ts': '// TODO(ssot): pass the context\nexport {};\n' });
    const plan = await planRemoveShimWith()(r);
    expect(plan.refusal).toMatch(/1 TODO\(ssot\) marker\(s\) remain: src\/todo\.ts:1/);
  });

  it('refuses while telemetry shows legacy use in the window, and not for use older than it', async () => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    const r = repo({
      '.ssot/telemetry/a.jsonl': line({ id: 'WSM001', lastSeen: '2026-02-28T12:00:00Z', 'code.file.path': '/srv/x.ts', 'code.line.number': 4 }) + '{"broken\n',
      '.ssot/telemetry/b.jsonl': line({ id: 'WSM008', symbol: 'Adapter', lastSeen: '2026-01-01T00:00:00Z' }) + line({ id: 'OTHER001', lastSeen: '2026-02-28T12:00:00Z' }),
    });
    const recent = await planRemoveShimWith({ telemetry: ['.ssot/telemetry'], window: '7d', now: () => now })(r);
    expect(recent.refusal).toMatch(/telemetry shows legacy use in the last 7d: WSM001 getManager ×1 \(last 2026-02-28T12:00:00Z at \/srv\/x\.ts:4\)/);
    expect(recent.refusal).not.toContain('WSM008');
    const quiet = await planRemoveShimWith({ telemetry: ['.ssot/telemetry/b.jsonl'], window: '7d', now: () => now })(r);
    expect(quiet.refusal).toBeUndefined();
    expect(quiet.summary).toContain('telemetry: 2 line(s), no legacy use in the last 7d');
    const anyUse = await planRemoveShimWith({ telemetry: ['.ssot/telemetry/b.jsonl'] })(r);
    expect(anyUse.refusal).toMatch(/WSM008 Adapter/);
  });

  it('a missing telemetry path or a bad window is a clear error', async () => {
    const r = repo({});
    await expect(planRemoveShimWith({ telemetry: ['nope'] })(r)).rejects.toThrow(/telemetry path .*nope does not exist/);
    expect(() => parseDuration('soon')).toThrow(/invalid duration/);
    expect(() => parseDuration('0')).toThrow(/greater than 0/);
    expect(parseDuration('30d')).toBe(30 * 86400e3);
    expect(parseDuration('1500')).toBe(1500);
  });
});
