/**
 * A small backend whose legacy layer hands out raw sockets (the JeLLek1/PIM-chess-app shape): a
 * module of free functions over a module-level Map, `src/connections.ts`, whose lookup
 * `getConnection(userId)` returns the user's `ws` socket, which callers `.send()` to directly.
 * Written into a real git repo by the tests, with its own loopback tests, and a composition root
 * (`scripts/instance.ts`) that runs the app on a hub over a real Redis bus, driven over IPC.
 * Its tests run on Node's own test runner (`node --test`, through tsx), its report node's JUnit: the
 * test backend whose verification reads another runner's report than vitest's (and ~0.8 CPU-s less a
 * run: ~1.4 instead of ~2.2 on the migrated app).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NATIVE_TSC } from '../helpers/fixture-manifest.js';

const TOOLKIT = path.resolve(import.meta.dirname, '../..');

export const APP_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'lookup-backend', version: '1.0.0', private: true, type: 'module', scripts: { typecheck: 'tsc --noEmit', test: 'node --import tsx --test test/*.test.ts' } }, null, 2)}\n`,
  'tsconfig.json': `${JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src', 'test'] }, null, 2)}\n`,
  '.gitignore': 'node_modules\nreports\n',
  'link-toolkit.sh': readFileSync(path.join(TOOLKIT, 'examples/relay-backend/link-toolkit.sh'), 'utf8'),
  'src/connections.ts': `import type { WebSocket } from 'ws';

// One socket per user: the whole "manager" is this Map and the functions below.
const connections = new Map<string, WebSocket>();

export function saveConnection(userId: string, ws: WebSocket): void {
  connections.set(userId, ws);
}

export function deleteConnection(userId: string): void {
  connections.delete(userId);
}

/** The lookup: hands out the raw socket, which callers send to themselves. */
export function getConnection(userId: string): WebSocket | undefined {
  return connections.get(userId);
}
`,
  'src/server.ts': `import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { deleteConnection, saveConnection } from './connections.js';

export async function start(port = 0): Promise<{ wss: WebSocketServer; port: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  wss.on('connection', (ws, req) => {
    const userId = new URL(req.url ?? '/', 'http://x').searchParams.get('userId') ?? 'anon';
    saveConnection(userId, ws);
    ws.on('close', () => deleteConnection(userId));
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return { wss, port: (wss.address() as AddressInfo).port };
}
`,
  'src/notify.ts': `import { getConnection } from './connections.js';

/** The user is connected (the caller knows): the socket is asserted there. */
export function notify(userId: string, frame: { type: string; [field: string]: unknown }): void {
  getConnection(userId)!.send(JSON.stringify(frame));
}

/** Sends only when the user has a socket. */
export function notifyIfOnline(userId: string, frame: { type: string; [field: string]: unknown }): void {
  getConnection(userId)?.send(JSON.stringify(frame));
}

export function kick(userId: string): void {
  getConnection(userId)?.close();
}

export function isOnline(userId: string): boolean {
  return getConnection(userId) !== undefined;
}
`,
  'test/notify.test.ts': `import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { WebSocket } from 'ws';
import type { WebSocketServer } from 'ws';
import { isOnline, kick, notify, notifyIfOnline } from '../src/notify.js';
import { start } from '../src/server.js';

let wss: WebSocketServer;
let port = 0;
before(async () => ({ wss, port } = await start()));
after(() => new Promise<void>((resolve) => wss.close(() => resolve())));

async function client(userId: string): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>> }> {
  const ws = new WebSocket(\`ws://127.0.0.1:\${port}/?userId=\${userId}\`);
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  for (let i = 0; i < 100 && !isOnline(userId); i++) await new Promise((r) => setTimeout(r, 10));
  return { ws, frames };
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

/** Each frame holds the expected one's fields (more may come with it). */
function assertFrames(frames: Array<Record<string, unknown>>, expected: Array<Record<string, unknown>>): void {
  assert.equal(frames.length, expected.length, JSON.stringify(frames));
  expected.forEach((want, i) => assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, frames[i]![k]])), want));
}

it('notify and notifyIfOnline reach that user only; nobody offline is sent to', async () => {
  const alice = await client('alice');
  const bob = await client('bob');
  notify('alice', { type: 'move', square: 'e4' });
  notifyIfOnline('alice', { type: 'turn' });
  notifyIfOnline('nobody', { type: 'turn' });
  await until(() => alice.frames.length >= 2);
  assertFrames(alice.frames, [{ type: 'move', square: 'e4' }, { type: 'turn' }]);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(bob.frames, []);
  alice.ws.close();
  bob.ws.close();
});

it('kick closes the user socket', async () => {
  const carol = await client('carol');
  const closed = new Promise<void>((resolve) => carol.ws.once('close', () => resolve()));
  kick('carol');
  await closed;
  await until(() => !isOnline('carol'));
  assert.equal(isOnline('carol'), false);
});
`,
  // the composition root a team writes when it runs several instances: the process-wide hub on the
  // Redis bus (REDIS_URL), then the app; driven over IPC (the tests' second process)
  'scripts/instance.ts': `import { createConnectionHub, createRedisBus, setDefaultHub } from 'ssot-migrate/canonical';

const hub = createConnectionHub({ bus: createRedisBus({ url: process.env['REDIS_URL']!, keyPrefix: process.env['SSOT_KEY_PREFIX']! }) });
setDefaultHub(hub);
const { start } = await import('../src/server.js');
const { notify, isOnline } = await import('../src/notify.js');
const { port } = await start();
process.on('message', async (m: { id: number; cmd: 'notify' | 'online'; userId: string; frame?: { type: string } }) => {
  try {
    if (m.cmd === 'notify') notify(m.userId, m.frame!);
    const online = isOnline(m.userId);
    // Online here means reachable from the other instance too: the hub's Redis subscription for the
    // user is live (a user the hub does not hold — the legacy Map's — has none: nothing to wait for).
    if (m.cmd === 'online' && online) await Promise.resolve().then(() => hub.position(m.userId)).catch(() => undefined);
    process.send!({ id: m.id, ok: true, online });
  } catch (err) {
    process.send!({ id: m.id, ok: false, error: String(err) });
  }
});
process.send!({ port });
`,
};

/**
 * Its verify block: TypeScript 7's tsc (NATIVE_TSC), and its tests on node's runner with two reporters,
 * the spec one on stdout (what a failure shows) and the JUnit one the runner reads (node does not create
 * the report's folder).
 */
export const NODE_TEST_VERIFY = {
  typecheck: `${NATIVE_TSC} --noEmit`,
  test: 'mkdir -p reports && node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml test/*.test.ts',
  testReport: 'reports/junit.xml',
};

/** The manifest a person writes for it: the functions, and chains on what the lookup returns. */
export const FUNCTION_TEMPLATES: Record<string, string> = {
  saveConnection: '($hub.disconnect($1), $hub.connect($1, $2, { connectionId: $1 }))',
  deleteConnection: '$hub.disconnect($1)',
  getConnection: "$hub.hub.getConnection($1)?.socket as import('ws').WebSocket | undefined",
  'getConnection.send': '$hub.sendToUser($1, JSON.parse($2))',
};

export function appManifest(): Record<string, unknown> {
  return {
    $schema: './node_modules/ssot-migrate/manifest/ssot.schema.json',
    canonical: { module: 'ssot-migrate/canonical', exports: ['UserExecutionContext', 'createWebSocketManager', 'hubOperations'], contextType: 'UserExecutionContext', factory: 'createWebSocketManager' },
    legacy: [{ id: 'LKB001', module: 'src/connections', symbols: {}, replacement: "hubOperations() from 'ssot-migrate/canonical'" }],
    functions: [{ module: 'src/connections', templates: FUNCTION_TEMPLATES }],
    exclude: ['scripts/**'],
    verify: NODE_TEST_VERIFY,
  };
}
