/**
 * A legacy module file that is a global script (a .ts file with no import or export, declaring
 * something) is used by name from anywhere, with no import the imports check counts: strangle
 * refuses it (strangle/refusal.ts), and the one "safe to delete" verdict fails its id with a
 * `scripts` check — status, the dashboard and remove-shim's gate alike. An id whose modules are no
 * such script gets no such check.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { globalScripts, legacyUse } from '../../codemods/legacy-use/index.js';
import { RepoSnapshot } from '../../codemods/snapshot/snapshot.js';
import { startDashboard } from '../../scripts/dashboard/index.js';
import { repoStatus } from '../../scripts/runner/status.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const manifest = {
  canonical: { module: 'src/canonical', exports: ['hubOperations'] },
  legacy: [
    { id: 'ALP001', module: 'src/legacy/alpha', symbols: {} },
    { id: 'BET001', module: 'src/legacy/beta', symbols: {} },
  ],
  adapters: [],
  duplicateTypes: [],
  verify: { typecheck: 'true', test: 'true' },
};

function repo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-global-scripts-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'ssot.config.json': JSON.stringify(manifest),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true } }),
    // loaded as a global script: app.ts uses AlphaHub by name, no import
    'src/legacy/alpha.ts': '\uFEFF// a global script\r\nclass AlphaHub {\r\n  send(): void {}\r\n}\r\n',
    'src/legacy/beta.ts': 'export class Beta {}\n',
    'src/canonical.ts': 'export function hubOperations() {\n  return 1;\n}\n',
    'src/app.ts': 'export const a = new AlphaHub();\n',
    'telemetry/shim.jsonl': '',
  };
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
  }
  return dir;
}

test('a legacy global script fails its id`s verdict (scripts), the same in legacyUse, status and the dashboard; the other id has no such check', async () => {
  const dir = repo();
  const snapshot = await RepoSnapshot.open(dir);
  expect(globalScripts(snapshot)).toEqual([{ file: 'src/legacy/alpha.ts', line: 2, ids: ['ALP001'], reason: expect.stringMatching(/^a global script \(no import or export\) declaring AlphaHub: /) }]);
  const use = await legacyUse(snapshot, { withoutTelemetry: 'trial' });
  const scripts = (id: string) => use.verdicts.get(id)!.checks.find((c) => c.name === 'scripts');
  expect(scripts('ALP001')).toEqual({ name: 'scripts', status: 'fail', detail: '1 of its legacy module(s) is a global script (no import or export) whose globals code may use by name, with no import to count: src/legacy/alpha.ts:2; make it a module (strangle refuses it as written)' });
  expect(use.verdicts.get('ALP001')!.safe).toBe(false);
  // no import of alpha exists: without the check, the id would read safe
  expect(use.verdicts.get('ALP001')!.checks.find((c) => c.name === 'imports')?.status).toBe('pass');
  expect(scripts('BET001')).toBeUndefined();

  const pick = (checks: ReadonlyArray<{ name: string; status: string; detail: string }>) => checks.find((c) => c.name === 'scripts')?.detail ?? 'none';
  const status = await repoStatus(dir);
  const dashboard = await startDashboard({ telemetry: [path.join(dir, 'telemetry')], repo: dir, port: 0, togglesFile: path.join(dir, 'toggles.json'), flipLogFile: path.join(dir, 'flips.jsonl') });
  try {
    const fromStatus = Object.fromEntries(status.verdicts.map((v) => [v.id, pick(v.checks)]));
    const fromDashboard = Object.fromEntries(dashboard.view().ids.filter((i) => i.verdict).map((i) => [i.id, pick(i.verdict!.checks)]));
    expect(fromStatus).toEqual({ ALP001: scripts('ALP001')!.detail, BET001: 'none' });
    expect(fromDashboard).toEqual(fromStatus);
  } finally {
    await dashboard.close();
  }
});
