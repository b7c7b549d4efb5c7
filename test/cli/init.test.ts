/**
 * `ssot-migrate init` on both example backends (copied to a temp dir without their manifest):
 * the draft it writes loads through the manifest loader and names the legacy modules, classes,
 * used members, adapters and factory entries each backend really has; a second run refuses to
 * overwrite without --force; --dry-run writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadManifest } from '../../manifest/index.js';
import { BUILT_CLI } from '../runner/cli-process.js';

const root = path.resolve(import.meta.dirname, '../..');
// The built CLI (dist/, as an installed package runs it; test/helpers/build-dist.ts rebuilds it when a
// source is newer), not the checkout's bin: that runs the sources through tsx, ~0.8 CPU-s more a start,
// and init starts 9 times here. What init finds and prints is the same code either way.
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BUILT_CLI, 'init', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dirs: string[] = [];
const copy = (example: string): string => {
  const dir = mkdtempSync(path.join(tmpdir(), `ssot-init-${example}-`));
  dirs.push(dir);
  cpSync(path.join(root, 'examples', example), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) && !src.endsWith('ssot.config.json') });
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('init on examples/relay-backend', () => {
  const repo = copy('relay-backend');

  test('writes a manifest that loads and finds the hub, its alias modules, the adapter and the static-singleton factory', async () => {
    const r = cli(['--repo', repo, '--legacy', 'src/realtime/hub.ts', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { findings: { classes: { class: string; members: { member: string; uses: number; template?: string }[] }[] }; todo: { field: string; required: boolean }[] };
    const m = await loadManifest(repo);
    const modules = m.legacy.map((l) => l.module);
    expect(modules).toEqual(expect.arrayContaining(['src/realtime/hub', 'src/compat/socket-hub', 'src/realtime/registry', 'src/realtime/index']));
    const hub = m.legacy.find((l) => l.module === 'src/realtime/hub')!;
    expect(hub.symbols).toMatchObject({ RealtimeHub: 'ScopedWebSocketManager', default: 'ScopedWebSocketManager' });
    expect(m.legacy.find((l) => l.module === 'src/compat/socket-hub')!.symbols).toMatchObject({ SocketHub: 'ScopedWebSocketManager' });
    expect(m.legacy.find((l) => l.module === 'src/realtime/registry')!.symbols).toEqual({ HubRegistry: 'createWebSocketManager' });
    // the class, with the members the app calls (through the class, its alias, and the structural RealtimeHubApi contract)
    expect(m.classes.map((c) => `${c.module}#${c.class}`)).toEqual(['src/realtime/hub#RealtimeHub']);
    const members = new Map(report.findings.classes[0]!.members.map((u) => [u.member, u]));
    expect(members.get('publishToUser')!.uses).toBeGreaterThanOrEqual(5);
    expect(members.get('attach')!.uses).toBeGreaterThanOrEqual(1);
    expect(members.get('attach')!.template).toBeUndefined();
    expect(m.classes[0]!.members).toMatchObject({ broadcastAll: '$hub.broadcastAll($1)', listConnectedUsers: '$hub.listConnectedUsers()', isOnline: '$hub.isOnline($1)' });
    expect(m.classes[0]!.members.publishToUser).toBeUndefined();
    expect(report.todo).toContainEqual(expect.objectContaining({ field: 'classes[0].members.publishToUser', required: false }));
    // adapter and factory
    expect(m.adapters.map((a) => [a.module, a.class, a.unwrapArg])).toEqual([['src/realtime/pusher', 'RunEventPusher', 0]]);
    const adapterTodo = report.todo.filter((t) => t.field.startsWith('adapters[0].methods.')).map((t) => t.field.split('.').pop());
    expect(adapterTodo.sort()).toEqual(['pushFinished', 'pushStarted', 'pushThinking', 'pushToolDone', 'pushToolStart']);
    expect(m.factory!.entries).toEqual(
      expect.arrayContaining([
        { module: 'src/realtime/registry', call: 'HubRegistry.shared' },
        { module: 'src/realtime/registry', call: 'HubRegistry.forRequest' },
        { module: 'src/realtime/index', call: 'HubRegistry.shared' },
      ]),
    );
    expect(m.factory!.entries.some((e) => e.call === 'HubRegistry.reset')).toBe(false);
  }, 120_000);

  test('a second run refuses to overwrite without --force; --force overwrites; --dry-run writes nothing', () => {
    const before = readFileSync(path.join(repo, 'ssot.config.json'), 'utf8');
    const again = cli(['--repo', repo, '--legacy', 'src/realtime/hub']);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/ssot\.config\.json already exists .*--force/);
    const dry = cli(['--repo', repo, '--legacy', 'src/realtime/hub', '--dry-run', '--out', 'draft.json']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/dry run: nothing written/);
    expect(existsSync(path.join(repo, 'draft.json'))).toBe(false);
    const forced = cli(['--repo', repo, '--legacy', 'src/realtime/hub', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/ssot\.config\.json loads\. Still to fill in: \d+ required/);
    expect(readFileSync(path.join(repo, 'ssot.config.json'), 'utf8')).toBe(before);
  }, 120_000);

  test("the README's init example is what init prints on a fresh copy", () => {
    const fresh = copy('relay-backend');
    const r = cli(['--repo', fresh, '--legacy', 'src/realtime/hub.ts']);
    expect(r.code).toBe(0);
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const shown = /```sh\nnpx ssot-migrate init --legacy src\/realtime\/hub\.ts\n```\n\n```\n([\s\S]*?)\n```\n/.exec(readme)?.[1];
    expect(shown).toBe(r.out.trimEnd());
  }, 120_000);

  test('a --legacy path that is not a source file is a usage error naming it', () => {
    const r = cli(['--repo', repo, '--legacy', 'src/nope', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--legacy src\/nope: no such source file/);
  }, 60_000);
});

describe('init on examples/legacy-app', () => {
  const repo = copy('legacy-app');

  test('finds the colliding modules, the manager and its used members, both adapters and the factory entries; the draft loads', async () => {
    const r = cli(['--repo', repo]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const m = await loadManifest(repo);
    const modules = m.legacy.map((l) => l.module);
    expect(modules).toEqual(
      expect.arrayContaining(['src/websocket_core/unified_manager', 'src/websocket_core/websocket_manager', 'src/websocket_core/websocket_manager_factory', 'src/websocket_core/protocols', 'src/websocket_core/manager', 'src/core/interfaces_websocket', 'src/websocket_core/index']),
    );
    expect(m.legacy.find((l) => l.module === 'src/websocket_core/unified_manager')!.symbols).toMatchObject({ UnifiedWebSocketManager: 'ScopedWebSocketManager', WebSocketManagerMode: 'WebSocketManagerMode' });
    const manager = m.classes.find((c) => c.class === 'UnifiedWebSocketManager')!;
    expect(manager.module).toBe('src/websocket_core/unified_manager');
    expect(manager.members.sendToUser).toBe('$hub.sendToUser($1, $2)');
    expect(r.out).toMatch(/UnifiedWebSocketManager \(src\/websocket_core\/unified_manager\)\n(?:.*\n)*?\s+sendToUser ×\d+/);
    // the pure forwarder takes the manager through the legacy protocol interface it satisfies
    expect(m.adapters.map((a) => a.class).sort()).toEqual(['LegacyWebSocketManagerAdapter', 'WebSocketManagerAdapter']);
    expect(m.adapters.find((a) => a.class === 'LegacyWebSocketManagerAdapter')!.module).toBe('src/websocket_core/protocols');
    expect(m.adapters.find((a) => a.class === 'WebSocketManagerAdapter')!.module).toBe('src/agents/supervisor/agent_registry');
    expect(m.factory!.entries).toEqual(
      expect.arrayContaining([
        { module: 'src/websocket_core/websocket_manager_factory', call: 'WebSocketManagerFactory.getInstance' },
        { module: 'src/websocket_core/websocket_manager_factory', call: 'WebSocketManagerFactory.create' },
        { module: 'src/websocket_core/unified_manager', call: 'getWebSocketManager' },
        { module: 'src/websocket_core/index', call: 'WebSocketManagerFactory.getInstance' },
      ]),
    );
    expect(cli(['--repo', repo]).code).toBe(2);
  }, 120_000);
});

describe('init on a workspace monorepo with no root tsconfig.json', () => {
  test("drafts `tsconfig` as the package's own that holds the legacy module (node_modules' are not read)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ssot-init-monorepo-'));
    dirs.push(dir);
    const strict = { compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext' } };
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'], scripts: { test: 'true' } }),
      'packages/ws/package.json': JSON.stringify({ name: '@repo/ws', version: '1.0.0' }),
      'packages/ws/tsconfig.json': JSON.stringify({ ...strict, include: ['src'] }),
      'packages/ws/src/index.ts': 'export class RoomRegistry {\n  broadcast(room: string, event: object): void {\n    void room;\n    void event;\n  }\n}\nexport const registry = new RoomRegistry();\n',
      'packages/jobs/package.json': JSON.stringify({ name: '@repo/jobs', version: '1.0.0' }),
      'packages/jobs/src/run.ts': "import { registry } from '@repo/ws';\nregistry.broadcast('r', { type: 'done' });\n",
      // a dependency's own tsconfig holding everything under it: never a candidate
      'node_modules/dep/tsconfig.json': JSON.stringify({ ...strict, include: ['../../packages'] }),
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), text);
    }
    const r = cli(['--repo', dir, '--legacy', 'packages/ws/src/index.ts', '--dry-run', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { manifest: { tsconfig: string }; todo: { field: string }[] };
    expect(report.manifest.tsconfig).toBe('packages/ws/tsconfig.json');
    expect(report.todo.map((t) => t.field)).not.toContain('tsconfig');
  });
});
