/**
 * A TODO(ssot) marker counts against the deprecation ids it is about: one naming its class,
 * member or function (`// TODO(ssot)[Alpha.send]: …`, as remove-adapters writes them) against the
 * ids owning it, one naming nothing (older markers, a person's) against every id, as before. The
 * one verdict (codemods/legacy-use) says so to `status` and the dashboard alike.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { markerIds, markerSubject, todoComment } from '../../codemods/legacy-use/index.js';
import { withDefaults } from '../helpers/fixture-manifest.js';
import { startDashboard } from '../../scripts/dashboard/index.js';
import { repoStatus } from '../../scripts/runner/status.js';
import { main } from '../../scripts/cli.js';

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
  classes: [
    { module: 'src/legacy/alpha', class: 'Alpha', members: {} },
    { module: 'src/legacy/beta', class: 'Beta', members: {} },
  ],
  functions: [{ module: 'src/legacy/beta', templates: { pushAll: '$hub.broadcastAll($1)' } }],
  adapters: [],
  duplicateTypes: [],
  verify: { typecheck: 'true', test: 'true' },
};

function repo(app: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-marker-ids-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'ssot.config.json': JSON.stringify(manifest),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true } }),
    'src/legacy/alpha.ts': 'export class Alpha {\n  send(): void {}\n}\n',
    'src/legacy/beta/index.ts': 'export class Beta {}\nexport function pushAll(m: object): void {\n  void m;\n}\n',
    'src/canonical.ts': 'export function hubOperations() {\n  return 1;\n}\n',
    'src/app.ts': app,
    'telemetry/shim.jsonl': '',
  };
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
  }
  return dir;
}

const NAMED = `${todoComment('Alpha.send has no template in classes[].members', '', 'Alpha.send')}\nexport const a = 1;\n`;
const UNNAMED = '// TODO(ssot): a person left this\nexport const b = 2;\n';

async function markerChecks(dir: string): Promise<{ status: Record<string, string>; dashboard: Record<string, string> }> {
  const s = await repoStatus(dir);
  const dashboard = await startDashboard({ telemetry: [path.join(dir, 'telemetry')], repo: dir, port: 0, togglesFile: path.join(dir, 'toggles.json'), flipLogFile: path.join(dir, 'flips.jsonl') });
  try {
    const pick = (checks: ReadonlyArray<{ name: string; status: string; detail: string }>) => {
      const c = checks.find((x) => x.name === 'markers')!;
      return `${c.status}: ${c.detail}`;
    };
    return {
      status: Object.fromEntries(s.verdicts.map((v) => [v.id, pick(v.checks)])),
      dashboard: Object.fromEntries(dashboard.view().ids.filter((i) => i.verdict).map((i) => [i.id, pick(i.verdict!.checks)])),
    };
  } finally {
    await dashboard.close();
  }
}

describe('markers name what they are about', () => {
  test('the subject is read back from the line; the manifest maps it to the ids owning its module', () => {
    expect(todoComment('x', '  ', 'Alpha.send')).toBe('  // TODO(ssot)[Alpha.send]: x');
    expect(markerSubject('  // TODO(ssot)[Alpha.send]: x')).toBe('Alpha.send');
    expect(markerSubject('// TODO(ssot): [not a subject]')).toBeUndefined();
    const m = withDefaults(manifest);
    expect(markerIds(m, 'Alpha.send')).toEqual(['ALP001']);
    expect(markerIds(m, 'Alpha')).toEqual(['ALP001']);
    expect(markerIds(m, 'Beta.x')).toEqual(['BET001']);
    // `src/legacy/beta` in classes[] is the legacy module written `src/legacy/beta/index`
    expect(markerIds(withDefaults({ ...manifest, legacy: [manifest.legacy[0]!, { id: 'BET001', module: 'src/legacy/beta/index', symbols: {} }] }), 'Beta.x')).toEqual(['BET001']);
    expect(markerIds(m, 'pushAll')).toEqual(['BET001']);
    expect(markerIds(m, 'BET001')).toEqual(['BET001']);
    // a name the manifest does not know: every id, as an unnamed marker
    expect(markerIds(m, 'Gamma.send')).toBeUndefined();
    expect(markerIds(m, undefined)).toBeUndefined();
  });

  test('a named marker blocks only its id; status and the dashboard give the same checks', async () => {
    const dir = repo(NAMED);
    const { status, dashboard } = await markerChecks(dir);
    expect(status['ALP001']).toBe('fail: 1 TODO(ssot) marker(s) left: src/app.ts:1');
    expect(status['BET001']).toBe('pass: no TODO(ssot) marker about it left (1 about other ids)');
    expect(dashboard).toEqual(status);
    expect((await repoStatus(dir)).todoMarkers).toEqual([{ file: 'src/app.ts', line: 1, text: expect.stringContaining('TODO(ssot)[Alpha.send]'), ids: ['ALP001'] }]);
  });

  test('a marker naming nothing still counts for every id, and the status line says so', async () => {
    const dir = repo(NAMED + UNNAMED);
    const { status, dashboard } = await markerChecks(dir);
    expect(status['ALP001']).toBe('fail: 2 TODO(ssot) marker(s) left: src/app.ts:1, src/app.ts:3 (1 name no class or function: counted for every id)');
    expect(status['BET001']).toBe('fail: 1 TODO(ssot) marker(s) left: src/app.ts:3 (it names no class or function: counted for every id)');
    expect(dashboard).toEqual(status);
    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
    try {
      expect(await main(['status', '--repo', dir])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out).toContain('2 open TODO(ssot) marker(s) (1 names no class or function: counted for every id)');
    expect(out).toContain('src/app.ts:1 // TODO(ssot)[Alpha.send]: Alpha.send has no template in classes[].members [ALP001]');
  });
});
