/**
 * "Safe to delete" has one definition (codemods/legacy-use): remove-shim's gate and the dashboard
 * give the same verdict — also on a repo that reaches a legacy module only through a tsconfig
 * `paths` alias, which a textual scan of relative specifiers would miss.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { RepoSnapshot } from '../../codemods/index.js';
import { planRemoveShim } from '../../codemods/remove-shim/index.js';
import { startDashboard } from '../../scripts/dashboard/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(app: string): string {
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
    'telemetry/empty.jsonl': '',
  };
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
  }
  return dir;
}

async function verdicts(dir: string): Promise<{ gate: { safe: boolean; reason?: string }; dashboard: { safe: boolean; imports?: string } }> {
  const plan = await planRemoveShim(await RepoSnapshot.open(dir), { telemetry: ['telemetry'] });
  const dashboard = await startDashboard({ telemetry: [path.join(dir, 'telemetry')], repo: dir, port: 0, togglesFile: path.join(dir, 'toggles.json'), flipLogFile: path.join(dir, 'flips.jsonl') });
  try {
    const v = dashboard.view().ids.find((i) => i.id === 'WSM001')!.verdict;
    const imports = v.checks.find((c) => c.name === 'imports');
    return { gate: { safe: plan.refusal === undefined, ...(plan.refusal ? { reason: plan.refusal } : {}) }, dashboard: { safe: v.safe, ...(imports && imports.status === 'fail' ? { imports: imports.detail } : {}) } };
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
    expect(v.dashboard.safe).toBe(true);
  }, 60_000);
});
