/**
 * A small free-function WebSocket backend (the shape the lead found common in real code: a
 * module of functions over a module-level Map, no class), written into a real git repo by the
 * tests: `src/wsConnections.ts` is the legacy layer, used through a named import, an aliased
 * one and a namespace import, with its own tests that open real WebSocket clients on loopback.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN_VERIFY } from '../helpers/fixture-manifest.js';

const TOOLKIT = path.resolve(import.meta.dirname, '../..');

export const APP_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'fn-backend', version: '1.0.0', private: true, type: 'module', scripts: { typecheck: 'tsc --noEmit', test: 'vitest run' } }, null, 2)}\n`,
  'tsconfig.json': `${JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src', 'test'] }, null, 2)}\n`,
  'vitest.config.ts': "import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({ test: { include: ['test/**/*.test.ts'], pool: 'threads', reporters: ['default', 'junit'], outputFile: { junit: 'reports/junit.xml' }, testTimeout: 20_000 } });\n",
  '.gitignore': 'node_modules\nreports\n',
  'link-toolkit.sh': readFileSync(path.join(TOOLKIT, 'examples/relay-backend/link-toolkit.sh'), 'utf8'),
  'src/wsConnections.ts': `import { WebSocket } from 'ws';

// Every open socket per user: the whole "manager" is this Map and the functions below.
const connections = new Map<string, WebSocket[]>();

export function addClient(userId: string, ws: WebSocket): void {
  const list = connections.get(userId) ?? [];
  list.push(ws);
  connections.set(userId, list);
}

export function removeClient(userId: string, ws: WebSocket): void {
  const list = (connections.get(userId) ?? []).filter((s) => s !== ws);
  if (list.length === 0) connections.delete(userId);
  else connections.set(userId, list);
}

export function sendToUser(userId: string, message: unknown): void {
  const data = JSON.stringify(message);
  for (const s of connections.get(userId) ?? []) if (s.readyState === WebSocket.OPEN) s.send(data);
}

export const broadcast = (message: unknown): void => {
  // calls its sibling: the legacy module's own call stays as it is
  for (const userId of connections.keys()) sendToUser(userId, message);
};
`,
  'src/server.ts': `import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { addClient, removeClient } from './wsConnections.js';

export async function start(port = 0): Promise<{ wss: WebSocketServer; port: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  wss.on('connection', (ws, req) => {
    const userId = new URL(req.url ?? '/', 'http://x').searchParams.get('userId') ?? 'anon';
    addClient(userId, ws);
    ws.on('close', () => removeClient(userId, ws));
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return { wss, port: (wss.address() as AddressInfo).port };
}
`,
  'src/notify.ts': `import * as ws from './wsConnections.js';
import { sendToUser as push } from './wsConnections.js';

export function notifyOrderShipped(userId: string, orderId: string): void {
  push(userId, { type: 'order_shipped', orderId });
}

export function announce(text: string): void {
  ws.broadcast({ type: 'announcement', text });
}
`,
  'test/notify.test.ts': `import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketServer } from 'ws';
import { announce, notifyOrderShipped } from '../src/notify.js';
import { start } from '../src/server.js';

let wss: WebSocketServer;
let port = 0;
beforeAll(async () => ({ wss, port } = await start()));
afterAll(() => new Promise<void>((resolve) => wss.close(() => resolve())));

/** A real client on loopback, open, collecting the parsed frames it receives. */
async function client(userId: string): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>> }> {
  const ws = new WebSocket(\`ws://127.0.0.1:\${port}/?userId=\${userId}\`);
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  // the server registers the socket on its connection event, after the client sees open
  await new Promise((r) => setTimeout(r, 50));
  return { ws, frames };
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

it('sendToUser reaches that user only', async () => {
  const alice = await client('alice');
  const bob = await client('bob');
  notifyOrderShipped('alice', 'o-1');
  await until(() => alice.frames.some((f) => f['type'] === 'order_shipped'));
  expect(alice.frames.find((f) => f['type'] === 'order_shipped')).toMatchObject({ type: 'order_shipped', orderId: 'o-1' });
  await new Promise((r) => setTimeout(r, 50));
  expect(bob.frames.filter((f) => f['type'] === 'order_shipped')).toEqual([]);
  alice.ws.close();
  bob.ws.close();
});

it('broadcast reaches everybody connected', async () => {
  const carol = await client('carol');
  const dan = await client('dan');
  announce('maintenance at noon');
  await until(() => carol.frames.length > 0 && dan.frames.length > 0);
  for (const c of [carol, dan]) expect(c.frames.find((f) => f['type'] === 'announcement')).toMatchObject({ text: 'maintenance at noon' });
  carol.ws.close();
  dan.ws.close();
});

it('a closed socket gets nothing more', async () => {
  const eve = await client('eve');
  eve.ws.close();
  await new Promise<void>((resolve) => eve.ws.once('close', () => resolve()));
  await new Promise((r) => setTimeout(r, 50));
  expect(() => notifyOrderShipped('eve', 'o-2')).not.toThrow();
});
`,
};

/** The manifest a person writes for it (init drafts it, see the test): the functions and their canonical templates. */
export const FUNCTION_TEMPLATES: Record<string, string> = {
  addClient: '$hub.connect($1, $2)',
  removeClient: "$hub.disconnect($hub.hub.getConnectionIdBySocket($2) ?? '')",
  sendToUser: '$hub.sendToUser($1, $2 as Record<string, unknown>)',
  broadcast: '$hub.broadcastAll($1 as Record<string, unknown>)',
};

export function appManifest(): Record<string, unknown> {
  return {
    $schema: './node_modules/ssot-migrate/manifest/ssot.schema.json',
    canonical: { module: 'ssot-migrate/canonical', exports: ['UserExecutionContext', 'createWebSocketManager', 'hubOperations'], contextType: 'UserExecutionContext', factory: 'createWebSocketManager' },
    legacy: [{ id: 'FNB001', module: 'src/wsConnections', symbols: {}, replacement: "hubOperations() from 'ssot-migrate/canonical'" }],
    functions: [{ module: 'src/wsConnections', templates: FUNCTION_TEMPLATES }],
    verify: BIN_VERIFY,
  };
}
