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

/** A coverage line: run `pid` on host h was up with `ids` installed from `start` to `end` (ISO). */
const cov = (o: { pid?: number; ids: string[]; start: string; end: string; started?: string; final?: boolean }): string =>
  `${JSON.stringify({ kind: 'coverage', v: 1, ts: o.end, service: 'app', version: '1.0.0', host: 'h', pid: o.pid ?? 7, started: o.started ?? o.start, ids: o.ids, start: o.start, end: o.end, intervalMs: 65_000, ...(o.final ? { final: true, reason: 'SIGTERM' } : {}) })}\n`;
const NOW = Date.parse('2026-03-01T00:00:00Z');
const at = (minutesBefore: number): string => new Date(NOW - minutesBefore * 60_000).toISOString();
/** Coverage lines every 10 minutes from `fromMin` to `toMin` minutes before NOW. */
const heartbeat = (fromMin: number, toMin: number, ids = ['WSM001', 'WSM008'], pid = 7): string => {
  let out = '';
  for (let m = fromMin; m > toMin; m -= 10) out += cov({ pid, ids, start: at(m), end: at(Math.max(toMin, m - 10)), started: at(fromMin) });
  return out;
};

describe('remove-shim', () => {
  it('refuses while a file builds a legacy class at boot, naming constructions[] (the decision that lets remove-adapters rewrite it)', async () => {
    const r = repo({ 'src/ws/adapter.legacy.ts': 'export class Adapter { constructor(readonly port: number) {} }\n', 'src/boot.ts': "import { Adapter as Server } from './ws/adapter.js';\nexport const booted = new Server(8080);\n" });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'trial' })(r);
    expect(plan.refusal).toContain('import(s) of legacy modules remain');
    expect(plan.needsReview.map((n) => n.message)).toEqual([expect.stringContaining('it builds the legacy manager itself (new Server(…) at src/boot.ts:2): describe what that construction becomes in constructions[]')]);
  });

  it('deletes every facade and frozen file and their exclude entries once nothing uses them (here: without telemetry, with a reason)', async () => {
    const r = repo({});
    const plan = await planRemoveShimWith({ withoutTelemetry: 'batch tool, never deployed: no process to observe' })(r);
    expect(plan.refusal).toBeUndefined();
    const deleted = plan.writes.filter((w) => w.content === null).map((w) => w.path).sort();
    expect(deleted).toEqual(['src/ws/adapter.legacy.ts', 'src/ws/adapter.ts', 'src/ws/manager.legacy.ts', 'src/ws/manager.ts']);
    expect(JSON.parse(String(plan.writes.find((w) => w.path === 'ssot.config.json')?.content)).exclude).toEqual([]);
    expect(plan.summary).toContain('without telemetry: batch tool, never deployed');
    expect(plan.trailers).toEqual({ 'SSOT-Without-Telemetry': 'batch tool, never deployed: no process to observe' });
  });

  it('a legacy module strangle left as it was (emptied by a split: no frozen body; CRLF + BOM) is deleted, and the subject does not call it a facade', async () => {
    const r = repo({ 'src/ws/manager.ts': '\uFEFF// the class moved to src/app/manager (splits)\r\nimport \'reflect-metadata\';\r\n' });
    rmSync(join(r, 'src/ws/manager.legacy.ts'));
    const plan = await planRemoveShimWith({ withoutTelemetry: 'trial' })(r);
    expect(plan.refusal).toBeUndefined();
    expect(plan.writes.filter((w) => w.content === null).map((w) => w.path).sort()).toEqual(['src/ws/adapter.legacy.ts', 'src/ws/adapter.ts', 'src/ws/manager.ts']);
    expect(plan.summary).toMatch(/^deleted 1 facade\(s\) and their frozen legacy code and 1 legacy module\(s\) with no facade or frozen body \(src\/ws\/manager\.ts\) \(without telemetry: trial\)/);
    // only such modules: no facade is claimed at all
    rmSync(join(r, 'src/ws/adapter.legacy.ts'));
    writeFileSync(join(r, 'src/ws/adapter.ts'), '// emptied\n');
    const only = await planRemoveShimWith({ withoutTelemetry: 'trial' })(r);
    expect(only.summary).toMatch(/^deleted 2 legacy module\(s\) with no facade or frozen body \(src\/ws\/(manager|adapter)\.ts, src\/ws\/(manager|adapter)\.ts\) \(without telemetry: trial\)/);
    expect(only.summary).not.toContain('facade(s)');
  });

  it('refuses while a legacy module is a global script declaring what other files use by name (strangle refused it: the same decision), naming the file and its globals; one declaring nothing is deleted (LF and CRLF + BOM)', async () => {
    const script = '// loaded by a script tag; UserSockets is used by name, no import\nclass UserSockets {\n  send(id: string) { return id; }\n}\nconst sockets = new UserSockets();\n';
    for (const text of [script, `\uFEFF${script.replace(/\n/g, '\r\n')}`]) {
      const r = repo({ 'src/ws/manager.ts': text, 'src/user.ts': 'export const sent = sockets.send("u1");\n' });
      rmSync(join(r, 'src/ws/manager.legacy.ts'));
      const plan = await planRemoveShimWith({ withoutTelemetry: 'trial' })(r);
      expect(plan.refusal).toMatch(/^1 legacy module\(s\) are global scripts, which strangle refused and the gate cannot judge: src\/ws\/manager\.ts:2 a global script \(no import or export\) declaring UserSockets, sockets: /);
      expect(plan.writes).toEqual([]);
      expect(plan.needsReview).toEqual([{ file: 'src/ws/manager.ts', line: 2, message: expect.stringContaining('make it a module') }]);
    }
    // a script that declares nothing (what a split leaves: comments) is an emptied module: deleted
    const r = repo({ 'src/ws/manager.ts': '// the class moved to src/app/manager (splits)\n' });
    rmSync(join(r, 'src/ws/manager.legacy.ts'));
    expect((await planRemoveShimWith({ withoutTelemetry: 'trial' })(r)).refusal).toBeUndefined();
  });

  it('deletes the files the manifest lists in deletions, with their exclude entries in the tsconfig and the manifest, and records each reason', async () => {
    const deletions = [
      { path: 'src/dead/broken.ts', reason: 'never compiled' },
      { path: 'src/dead/dangling.ts', reason: 'imports names that never existed' },
      { path: 'src/dead/gone.ts', reason: 'already deleted by hand' },
    ];
    const tsconfig = '{\n  // the broken file never compiled\n  "include": ["src"],\n  "exclude": ["node_modules", "src/dead/broken.ts"]\n}\n';
    const r = repo({
      'ssot.config.json': `${JSON.stringify({ ...manifest, deletions, exclude: [...manifest.exclude, 'src/dead/broken.ts'] }, null, 2)}\n`,
      'tsconfig.json': tsconfig,
      'src/dead/broken.ts': "import { getManager } from '../ws/manager.js';\nexport const x = getManager(;\n",
      // a dead file's legacy import does not hold the gate: it goes with the shim
      'src/dead/dangling.ts': "// @ts-ignore\nimport { gone } from '../ws/manager.js';\nimport { b } from './broken.js';\nexport const y = [gone, b];\n",
    });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'batch tool' })(r);
    expect(plan.refusal).toBeUndefined();
    const deleted = plan.writes.filter((w) => w.content === null).map((w) => w.path).sort();
    expect(deleted).toEqual(['src/dead/broken.ts', 'src/dead/dangling.ts', 'src/ws/adapter.legacy.ts', 'src/ws/adapter.ts', 'src/ws/manager.legacy.ts', 'src/ws/manager.ts']);
    expect(plan.writes.find((w) => w.path === 'tsconfig.json')?.content).toBe('{\n  // the broken file never compiled\n  "include": ["src"],\n  "exclude": ["node_modules"]\n}\n');
    const cfg = JSON.parse(String(plan.writes.find((w) => w.path === 'ssot.config.json')?.content));
    expect(cfg.exclude).toEqual([]);
    // the deletions entry itself stays (a record of the decision)
    expect(cfg.deletions).toEqual(deletions);
    expect(plan.trailers?.['SSOT-Deletions']).toBe('src/dead/broken.ts (never compiled); src/dead/dangling.ts (imports names that never existed)');
    expect(plan.summary).toContain('and 2 file(s) the manifest deletes');
  });

  it('refuses to delete a file listed in deletions while a file that stays imports it', async () => {
    const r = repo({
      'ssot.config.json': `${JSON.stringify({ ...manifest, deletions: [{ path: 'src/dead/old.ts', reason: 'dead' }] }, null, 2)}\n`,
      'src/dead/old.ts': 'export const old = 1;\n',
      'src/live.ts': "export async function f() {\n  return (await import('./dead/old.js')).old;\n}\n",
    });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'x' })(r);
    expect(plan.refusal).toMatch(/^1 import\(s\) of files listed in deletions remain: src\/live\.ts:2 imports src\/dead\/old\.ts \('\.\/dead\/old\.js'\)/);
    expect(plan.writes).toEqual([]);
  });

  it('deletes a declaration the manifest lists in deletions with the shim; its legacy import does not hold the gate meanwhile', async () => {
    const lazy = "import { helper } from './helper.js';\n\nexport const keep = helper(1);\n\n/** Hands out the legacy module. */\nexport async function loadManager() {\n  return helper(await import('./ws/manager.js'));\n}\n";
    const deletions = [{ path: 'src/lazy.ts', declaration: 'loadManager', reason: 'hands out the legacy module; nothing calls it' }];
    const files = { 'src/lazy.ts': lazy, 'src/helper.ts': 'export const helper = <T>(x: T): T => x;\n' };
    // without the decision the gate counts the import
    expect((await planRemoveShimWith({ withoutTelemetry: 'x' })(repo(files))).refusal).toMatch(/src\/lazy\.ts:7 still imports legacy module src\/ws\/manager/);
    const r = repo({ ...files, 'ssot.config.json': `${JSON.stringify({ ...manifest, deletions }, null, 2)}\n` });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'batch tool' })(r);
    expect(plan.refusal).toBeUndefined();
    expect(plan.writes.find((w) => w.path === 'src/lazy.ts')?.content).toBe("import { helper } from './helper.js';\n\nexport const keep = helper(1);\n");
    expect(plan.trailers?.['SSOT-Deletions']).toBe('src/lazy.ts#loadManager (hands out the legacy module; nothing calls it)');
    expect(plan.summary).toContain('and 1 declaration(s) it deletes (loadManager)');
  });

  it('does not count a legacy import that goes with a scheduled declaration (only it uses the binding), nor a @ts-ignore above it', async () => {
    const dangling = "// @ts-ignore -- getGone was removed\nimport { getGone } from './ws/manager.js';\nimport { getManager } from './ws/manager.js';\n\nexport const refs: readonly unknown[] = [getGone];\nexport const kept = getManager;\n";
    const files = { 'src/dangling.ts': dangling };
    const without = (await planRemoveShimWith({ withoutTelemetry: 'x' })(repo(files))).refusal;
    expect(without).toMatch(/src\/dangling\.ts:2 still imports legacy module/);
    const deletions = [{ path: 'src/dangling.ts', declaration: 'refs', reason: 'names a function the module never exported' }];
    const plan = await planRemoveShimWith({ withoutTelemetry: 'x' })(repo({ ...files, 'ssot.config.json': `${JSON.stringify({ ...manifest, deletions }, null, 2)}\n` }));
    // line 2 goes with `refs`; line 3 stays (getManager is still used) and still holds the gate
    expect(plan.refusal).toMatch(/^1 import\(s\) of legacy modules remain: src\/dangling\.ts:3 still imports/);
  });

  it('refuses to delete a declaration listed in deletions while code that stays uses it, naming the use', async () => {
    const deletions = [{ path: 'src/lazy.ts', declaration: 'loadManager', reason: 'dead' }];
    const lazy = "export async function loadManager() {\n  return import('./ws/manager.js');\n}\n";
    const cfg = `${JSON.stringify({ ...manifest, deletions }, null, 2)}\n`;
    const imported = await planRemoveShimWith({ withoutTelemetry: 'x' })(repo({ 'ssot.config.json': cfg, 'src/lazy.ts': lazy, 'src/user.ts': "import { loadManager as load } from './lazy.js';\nexport const m = load();\n" }));
    expect(imported.refusal).toBe("1 use(s) of declarations listed in deletions remain: src/user.ts:1 imports loadManager ('./lazy.js'), which deletions[0] deletes from src/lazy.ts; remove the use first, or drop the deletion");
    expect(imported.writes).toEqual([]);
    const star = await planRemoveShimWith({ withoutTelemetry: 'x' })(repo({ 'ssot.config.json': cfg, 'src/lazy.ts': lazy, 'src/index.ts': "export * from './lazy.js';\n" }));
    expect(star.refusal).toContain('src/index.ts:1 re-exports the module whole (export *), loadManager included');
    const local = await planRemoveShimWith({ withoutTelemetry: 'x' })(repo({ 'ssot.config.json': cfg, 'src/lazy.ts': `${lazy}export const loaded = loadManager();\n` }));
    expect(local.refusal).toContain('deletions[0]: loadManager is still referenced in src/lazy.ts at line(s) 4');
    // a namespace import that never names it is no use
    const ns = await planRemoveShimWith({ withoutTelemetry: 'x' })(repo({ 'ssot.config.json': cfg, 'src/lazy.ts': `${lazy}export const other = 1;\n`, 'src/user.ts': "import * as lazy from './lazy.js';\nexport const o = lazy.other;\n" }));
    expect(ns.refusal).toBeUndefined();
  });

  it('refuses without telemetry unless a reason is given; a blank reason is refused', async () => {
    const r = repo({});
    const none = await planRemoveShimWith()(r);
    expect(none.refusal).toMatch(/^no telemetry given: .*--without-telemetry "<reason>"/);
    expect(none.writes).toEqual([]);
    expect((await planRemoveShimWith({ withoutTelemetry: '  \n ' })(r)).refusal).toMatch(/--without-telemetry needs a reason/);
  });

  it('refuses while any import of a legacy path remains (any form), naming the file and line', async () => {
    const r = repo({ 'src/late.ts': "export async function f() {\n  return import('./ws/manager.js');\n}\n" });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'x' })(r);
    expect(plan.refusal).toMatch(/1 import\(s\) of legacy modules remain: src\/late\.ts:2 still imports legacy module src\/ws\/manager/);
    expect(plan.writes).toEqual([]);
  });

  it('refuses while a TODO(ssot) marker remains', async () => {
    const r = repo({ 'src/todo.ts': '// TODO(ssot): pass the context\nexport {};\n' });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'x' })(r);
    expect(plan.refusal).toMatch(/1 TODO\(ssot\) marker\(s\) remain: src\/todo\.ts:1/);
  });

  it('a class used through its statics (classes[].statics): refuses while a static use remove-adapters could not rewrite remains, naming the import and the marker', async () => {
    const statics = {
      ...manifest,
      canonical: { ...manifest.canonical, exports: [...manifest.canonical.exports, 'hubOperations'] },
      legacy: [...manifest.legacy, { id: 'STC001', module: 'src/ws/clients', symbols: {} }],
      classes: [{ module: 'src/ws/clients', class: 'Clients', members: {}, statics: { emit: '$hub.sendToUser($1, { type: $2 })' } }],
      exclude: [...manifest.exclude, 'src/ws/clients.legacy.ts'],
    };
    const r = repo({
      'ssot.config.json': `${JSON.stringify(statics, null, 2)}\n`,
      'src/ws/clients.ts': "// ssot-migrate: strangler facade (STC001).\nimport * as frozen from './clients.legacy.js';\nexport default frozen.default;\n",
      'src/ws/clients.legacy.ts': 'export default class Clients {\n  static emit(userId: string, type: string): void { void userId; void type; }\n}\n',
      // what remove-adapters leaves: the call rewritten, the alias of the class itself marked (it names the class, not a static)
      'src/job.ts': "import Clients from './ws/clients.js';\nimport { hubOperations } from 'ssot-migrate/canonical';\n\n// TODO(ssot): `Clients` reads the legacy class Clients itself; classes[0].statics rewrites its statics' calls and reads, not the class: replace it by hand\nconst W = Clients;\nexport const run = (u: string): void => void hubOperations().sendToUser(u, { type: 'job' });\nexport { W };\n",
    });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'x' })(r);
    expect(plan.refusal).toMatch(/src\/job\.ts:1 still imports legacy module src\/ws\/clients/);
    expect(plan.writes).toEqual([]);
    writeFileSync(join(r, 'src/job.ts'), "import { hubOperations } from 'ssot-migrate/canonical';\n\nexport const run = (u: string): void => void hubOperations().sendToUser(u, { type: 'job' });\n");
    const done = await planRemoveShimWith({ withoutTelemetry: 'x' })(r);
    expect(done.refusal).toBeUndefined();
    expect(done.writes.filter((w) => w.content === null).map((w) => w.path)).toContain('src/ws/clients.legacy.ts');
  });

  it('a split class (splits[]) still declaring a member it does not keep: removed here when no kept member uses it (legacy code this phase deletes called it), refused naming it when one does', async () => {
    const split = { ...manifest, canonical: { ...manifest.canonical, exports: [...manifest.canonical.exports, 'hubOperations'] }, classes: [{ module: 'src/ws/manager', class: 'Svc', members: { notify: '$hub.sendToUser(String($2), { ...$1 })' } }], splits: [{ module: 'src/ws/manager', class: 'Svc', to: 'src/app/svc', keep: ['log', 'record'] }] };
    const svc = (record: string, extra: string) => `export class Svc {\n  private log: string[] = [];\n  constructor(private readonly name: string) {}\n  record(e: string): void { ${record} }\n${extra}}\n`;
    const notify = '  notify(m: unknown, id: number): void { void m; void id; }\n';
    const used = repo({ 'ssot.config.json': JSON.stringify(split), 'src/app/svc.ts': svc('this.log.push(e); this.notify(e, 1);', notify) });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'x' })(used);
    expect(plan.refusal).toMatch(/1 member\(s\) of split classes not kept remain .*src\/app\/svc\.ts:5/);
    expect(plan.needsReview.map((n) => n.message)).toEqual(['splits[0]: Svc.notify is not kept and still declared', 'splits: Svc.notify is not kept and still used (src/app/svc.ts:4, the first use); it stays in the class until that use is rewritten (a template in classes[].members) or it is kept']);
    const left = repo({ 'ssot.config.json': JSON.stringify(split), 'src/app/svc.ts': svc('this.log.push(e);', notify) });
    const finished = await planRemoveShimWith({ withoutTelemetry: 'x' })(left);
    expect(finished.refusal).toBeUndefined();
    expect(finished.writes.find((w) => w.path === 'src/app/svc.ts')?.content).toBe(svc('this.log.push(e);', ''));
    expect(finished.trailers?.['SSOT-Split-Members']).toBe('Svc.notify');
    expect(finished.summary).toContain('split class member(s) removed with the legacy code that called them: Svc.notify');
    const done = repo({ 'ssot.config.json': JSON.stringify(split), 'src/app/svc.ts': svc('this.log.push(e);', '') });
    const plain = await planRemoveShimWith({ withoutTelemetry: 'x' })(done);
    expect(plain.refusal).toBeUndefined();
    expect(plain.writes.find((w) => w.path === 'src/app/svc.ts')).toBeUndefined();
  });

  it('in use: refuses on a call in the window, naming it and the coverage; use older than the window does not count', async () => {
    const r = repo({
      '.ssot/telemetry/a.jsonl': heartbeat(90, 1) + line({ id: 'WSM001', lastSeen: at(30), 'code.file.path': '/srv/x.ts', 'code.line.number': 4 }) + '{"broken\n',
      '.ssot/telemetry/b.jsonl': line({ id: 'WSM008', symbol: 'Adapter', lastSeen: at(24 * 60) }) + line({ id: 'OTHER001', lastSeen: at(5) }),
    });
    const plan = await planRemoveShimWith({ telemetry: ['.ssot/telemetry'], window: '1h', now: () => NOW })(r);
    expect(plan.refusal).toMatch(/^telemetry \(2 file\(s\) in .*, window 1h ending 2026-03-01T00:00:00.000Z\): 1 in use, 0 unknown; only unused lets remove-shim delete/);
    expect(plan.refusal).toMatch(/WSM001: in use: 1 call\(s\) and 0 method call\(s\) in the window, last 2026-02-28T23:30:00.000Z \(top site \/srv\/x\.ts:4:\?\); covered 100\.0% of 1h by 1 run\(s\)/);
    expect(plan.refusal).not.toMatch(/WSM008:/);
    expect(plan.refusal).toContain('note: 1 malformed line(s) skipped');
    expect(plan.writes).toEqual([]);
  });

  it('unknown: refuses when the coverage has a hole, a run died silently, or nobody reported an id', async () => {
    // started 40 minutes into a 1h window: the first 20 minutes nobody watched
    const late = repo({ '.ssot/telemetry/a.jsonl': heartbeat(40, 1) });
    const hole = await planRemoveShimWith({ telemetry: ['.ssot/telemetry'], window: '1h', now: () => NOW })(late);
    expect(hole.refusal).toMatch(/0 in use, 2 unknown/);
    expect(hole.refusal).toMatch(/WSM001: unknown: no run with WSM001 installed observed from 2026-02-28T23:00:00.000Z to 2026-02-28T23:20:00.000Z; covered 66\.7% of 1h by 1 run\(s\)/);
    // killed 20 minutes before the end, no final line
    const killed = repo({ '.ssot/telemetry/a.jsonl': heartbeat(90, 20) });
    expect((await planRemoveShimWith({ telemetry: ['.ssot/telemetry'], window: '1h', now: () => NOW })(killed)).refusal).toMatch(/WSM001: unknown: .*went silent without a final coverage line/);
    // only WSM001 installed in the processes observed: WSM008 has no evidence at all
    const partial = repo({ '.ssot/telemetry/a.jsonl': heartbeat(90, 1, ['WSM001']) });
    const p = await planRemoveShimWith({ telemetry: ['.ssot/telemetry'], window: '1h', now: () => NOW })(partial);
    expect(p.refusal).toMatch(/0 in use, 1 unknown/);
    expect(p.refusal).toMatch(/WSM008: unknown: no run with WSM008 installed reported in the window; covered 0\.0% of 1h by 0 run\(s\)/);
    expect(p.refusal).not.toMatch(/WSM001:/);
  });

  it('unused: deletes when runs with every id installed covered the whole window with no call, and the commit trailers say so', async () => {
    const r = repo({
      // two processes taking turns: one stopped cleanly (SIGTERM) as the next had started
      '.ssot/telemetry/a.jsonl': heartbeat(90, 30) + cov({ pid: 7, ids: ['WSM001', 'WSM008'], start: at(30), end: at(28), started: at(90), final: true }),
      '.ssot/telemetry/b.jsonl': heartbeat(35, 1, ['WSM001', 'WSM008'], 8) + line({ id: 'WSM001', lastSeen: at(24 * 60) }),
    });
    const plan = await planRemoveShimWith({ telemetry: ['.ssot/telemetry'], window: '1h', now: () => NOW })(r);
    expect(plan.refusal).toBeUndefined();
    expect(plan.writes.filter((w) => w.content === null)).toHaveLength(4);
    expect(plan.summary).toContain('telemetry: 2 id(s) unused over 1h, covered by 2 run(s)');
    expect(plan.trailers?.['SSOT-Telemetry']).toMatch(/^2 id\(s\) unused; window 1h 2026-02-28T23:00:00.000Z\.\.2026-03-01T00:00:00.000Z; 2 run\(s\); source 2 file\(s\) in /);
    expect(plan.trailers?.['SSOT-Telemetry-Verdicts']).toBe('WSM001 unused 100.0% by 2 run(s); WSM008 unused 100.0% by 2 run(s)');
  });

  it('a reason beside telemetry accepts only the ids the telemetry calls unknown, and says which; in use still refuses', async () => {
    const why = 'WSM008 exports only types and unwrapped values: no process can report it called';
    const r = repo({ '.ssot/telemetry/a.jsonl': heartbeat(90, 1, ['WSM001']) });
    const plan = await planRemoveShimWith({ telemetry: ['.ssot/telemetry'], window: '1h', now: () => NOW, withoutTelemetry: why })(r);
    expect(plan.refusal).toBeUndefined();
    expect(plan.summary).toContain('telemetry: 1 id(s) unused over 1h, covered by 1 run(s), 1 unknown accepted on the reason given (WSM008)');
    expect(plan.trailers).toMatchObject({ 'SSOT-Without-Telemetry': why, 'SSOT-Telemetry-Verdicts': 'WSM001 unused 100.0% by 1 run(s); WSM008 unknown 0.0% by 0 run(s)' });
    const without = await planRemoveShimWith({ telemetry: ['.ssot/telemetry'], window: '1h', now: () => NOW })(r);
    expect(without.refusal).toMatch(/WSM008: unknown[\s\S]*give --without-telemetry "<reason>" beside --telemetry/);
    const used = repo({ '.ssot/telemetry/a.jsonl': heartbeat(90, 1, ['WSM001']) + line({ id: 'WSM001', lastSeen: at(5) }) });
    const refused = await planRemoveShimWith({ telemetry: ['.ssot/telemetry'], window: '1h', now: () => NOW, withoutTelemetry: why })(used);
    expect(refused.refusal).toMatch(/1 in use, 0 unknown; only unused lets remove-shim delete \(1 unknown id\(s\) accepted on the reason given\)/);
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

describe('remove-shim: legacy mentions in comments (manifest comments.legacyMentions)', () => {
  const app = [
    '/** Builds managers. Formerly getManager() of src/ws/manager.ts. */',
    "import { createWebSocketManager } from 'ssot-migrate/canonical';",
    '// getManager is createWebSocketManager now',
    'export const m = createWebSocketManager; // wrapped by Adapter once',
    "export const s = 'getManager in a string stays';",
    '',
  ].join('\n');

  it('report (the default): lists every mention file:line in the commit and for review, edits no comment', async () => {
    const r = repo({ 'src/app.ts': app });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'batch tool' })(r);
    expect(plan.refusal).toBeUndefined();
    expect(plan.writes.filter((w) => w.content !== null).map((w) => w.path)).toEqual(['ssot.config.json']);
    expect(plan.needsReview.map((i) => `${i.file}:${i.line} ${i.message}`)).toEqual([
      'src/app.ts:1 comment names getManager (getManager)',
      'src/app.ts:1 comment names legacy module src/ws/manager (src/ws/manager.ts)',
      'src/app.ts:3 comment names getManager (getManager)',
      'src/app.ts:4 comment names Adapter (Adapter)',
    ]);
    expect(plan.trailers?.['SSOT-Legacy-Mentions']).toMatch(/^4 in comments \(policy report\): src\/app\.ts:1 /);
    expect(plan.summary).toContain('; 4 legacy mention(s) in comments (reported)');
  });

  it('rewrite: renames mapped names, drops the sentences naming the rest, lists every edit, and leaves none', async () => {
    const r = repo({ 'src/app.ts': app, 'ssot.config.json': `${JSON.stringify({ ...manifest, comments: { legacyMentions: 'rewrite' } }, null, 2)}\n` });
    const plan = await planRemoveShimWith({ withoutTelemetry: 'batch tool' })(r);
    expect(plan.refusal).toBeUndefined();
    expect(plan.writes.find((w) => w.path === 'src/app.ts')?.content).toBe(
      ['/** Builds managers. */', "import { createWebSocketManager } from 'ssot-migrate/canonical';", '// createWebSocketManager is createWebSocketManager now', 'export const m = createWebSocketManager;', "export const s = 'getManager in a string stays';", ''].join('\n'),
    );
    expect(plan.trailers?.['SSOT-Comment-Edits']).toBe('src/app.ts:1 dropped (names legacy module src/ws/manager): Formerly getManager() of src/ws/manager.ts.; src/app.ts:3 renamed getManager to createWebSocketManager; src/app.ts:4 dropped the comment: wrapped by Adapter once');
    expect(plan.trailers?.['SSOT-Legacy-Mentions']).toBe('0 in comments (policy rewrite)');
    expect(plan.needsReview).toEqual([]);
    expect(plan.summary).toContain('; comments: 3 edit(s) in 1 file(s), 0 legacy mention(s) left');
  });
});
