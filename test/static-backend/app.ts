/**
 * A small WebSocket backend whose whole socket layer is a class used only through its statics
 * (the shape found common in real code: `export default class WebSocketClients { static
 * webSocketClients = {}; static emitDataToUser = (…) => {…} }`, never instantiated), written into a
 * real git repo by the tests: `src/websocket/WebSocketClients.ts` is the legacy layer, called from
 * the server's connection wiring, an HTTP-ish order handler and a digest job (a default import under
 * another name), with the app's own tests opening real WebSocket clients on loopback.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN_VERIFY } from '../helpers/fixture-manifest.js';

const TOOLKIT = path.resolve(import.meta.dirname, '../..');

export const LEGACY_FILE = 'src/websocket/WebSocketClients.ts';

export const APP_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'static-backend', version: '1.0.0', private: true, type: 'module', scripts: { typecheck: 'tsc --noEmit', test: 'vitest run' } }, null, 2)}\n`,
  'tsconfig.json': `${JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src', 'test'] }, null, 2)}\n`,
  'vitest.config.ts': "import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({ test: { include: ['test/**/*.test.ts'], pool: 'threads', reporters: ['default', 'junit'], outputFile: { junit: 'reports/junit.xml' }, testTimeout: 20_000 } });\n",
  '.gitignore': 'node_modules\nreports\n',
  'link-toolkit.sh': readFileSync(path.join(TOOLKIT, 'examples/relay-backend/link-toolkit.sh'), 'utf8'),
  [LEGACY_FILE]: `import { WebSocket } from 'ws';

/** Every open socket per user, and the statics that write to them. Never instantiated. */
export default class WebSocketClients {
  public static webSocketClients: { [userId: string]: WebSocket[] } = {};

  static registerWebSocketClient = (userId: string, webSocket: WebSocket) => {
    if (!WebSocketClients.webSocketClients[userId]) WebSocketClients.webSocketClients[userId] = [];
    WebSocketClients.webSocketClients[userId].push(webSocket);
  };

  static removeWebSocketClient = (userId: string, webSocket: WebSocket) => {
    const left = (WebSocketClients.webSocketClients[userId] ?? []).filter((ws) => ws !== webSocket);
    if (left.length === 0) delete WebSocketClients.webSocketClients[userId];
    else WebSocketClients.webSocketClients[userId] = left;
  };

  static emitDataToUser = (userId: string, messageType: string, messageData: any) => {
    for (const ws of WebSocketClients.webSocketClients[userId] ?? []) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: messageType, payload: messageData }));
    }
  };

  static emitDataToUsers(users: string[], messageType: string, messageData: any): void {
    // a static calling another static through this: the legacy class's own code
    for (const userId of users) this.emitDataToUser(userId, messageType, messageData);
  }
}
`,
  'src/server.ts': `import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import WebSocketClients from './websocket/WebSocketClients.js';

export async function start(port = 0): Promise<{ wss: WebSocketServer; port: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  wss.on('connection', (ws, req) => {
    const userId = new URL(req.url ?? '/', 'http://x').searchParams.get('userId') ?? 'anon';
    WebSocketClients.registerWebSocketClient(userId, ws);
    ws.on('close', () => WebSocketClients.removeWebSocketClient(userId, ws));
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return { wss, port: (wss.address() as AddressInfo).port };
}
`,
  'src/handlers/orders.ts': `import WebSocketClients from '../websocket/WebSocketClients.js';

export interface Req { userId: string; body: { item: string; qty: number } }
export interface Res { status(code: number): Res; json(body: unknown): void }

let next = 1;

/** POST /orders: stores nothing (a test app), answers 201 and pushes the order to its user's sockets. */
export function createOrder(req: Req, res: Res): void {
  if (req.body.qty <= 0) {
    res.status(400).json({ error: 'qty must be positive' });
    return;
  }
  const order = { id: \`o-\${next++}\`, item: req.body.item, qty: req.body.qty };
  WebSocketClients.emitDataToUser(req.userId, 'order_created', order);
  res.status(201).json(order);
}
`,
  'src/jobs/digest.ts': `import Clients from '../websocket/WebSocketClients.js';

/** The nightly digest job: one summary frame to each subscribed user. */
export function runDigest(subscribers: string[], day: string): number {
  Clients.emitDataToUsers(subscribers, 'daily_digest', { day, items: subscribers.length });
  return subscribers.length;
}
`,
  'test/app.test.ts': `import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketServer } from 'ws';
import { createOrder, type Res } from '../src/handlers/orders.js';
import { runDigest } from '../src/jobs/digest.js';
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

function response(): Res & { code: number; body: unknown } {
  const r = { code: 0, body: undefined as unknown, status(c: number) { r.code = c; return r; }, json(b: unknown) { r.body = b; } };
  return r;
}

it('the order handler answers 201 and pushes the order to that user only', async () => {
  const alice = await client('alice');
  const bob = await client('bob');
  const res = response();
  createOrder({ userId: 'alice', body: { item: 'book', qty: 2 } }, res);
  expect(res.code).toBe(201);
  await until(() => alice.frames.some((f) => f['type'] === 'order_created'));
  expect(alice.frames.find((f) => f['type'] === 'order_created')).toMatchObject({ type: 'order_created', payload: { item: 'book', qty: 2 } });
  await new Promise((r) => setTimeout(r, 50));
  expect(bob.frames.filter((f) => f['type'] === 'order_created')).toEqual([]);
  alice.ws.close();
  bob.ws.close();
});

it('the digest job reaches each subscriber once', async () => {
  const carol = await client('carol');
  const dan = await client('dan');
  const eve = await client('eve');
  expect(runDigest(['carol', 'dan'], '2026-01-01')).toBe(2);
  await until(() => carol.frames.length > 0 && dan.frames.length > 0);
  for (const c of [carol, dan]) expect(c.frames.filter((f) => f['type'] === 'daily_digest')).toEqual([expect.objectContaining({ payload: { day: '2026-01-01', items: 2 } })]);
  await new Promise((r) => setTimeout(r, 50));
  expect(eve.frames).toEqual([]);
  for (const c of [carol, dan, eve]) c.ws.close();
});

it('a closed socket gets nothing more, and a bad order pushes nothing', async () => {
  const fay = await client('fay');
  fay.ws.close();
  await new Promise<void>((resolve) => fay.ws.once('close', () => resolve()));
  await new Promise((r) => setTimeout(r, 50));
  const res = response();
  expect(() => createOrder({ userId: 'fay', body: { item: 'pen', qty: 1 } }, res)).not.toThrow();
  const bad = response();
  createOrder({ userId: 'fay', body: { item: 'pen', qty: 0 } }, bad);
  expect(bad.code).toBe(400);
});
`,
};

/** The statics' canonical templates a person writes (init drafts the entry, see the test). */
export const STATIC_TEMPLATES: Record<string, string> = {
  registerWebSocketClient: '$hub.connect($1, $2)',
  removeWebSocketClient: "$hub.disconnect($hub.hub.getConnectionIdBySocket($2) ?? '')",
  emitDataToUser: '$hub.sendToUser($1, { type: $2, payload: $3 })',
  emitDataToUsers: '$1.forEach((userId) => $hub.sendToUser(userId, { type: $2, payload: $3 }))',
};

export function appManifest(): Record<string, unknown> {
  return {
    $schema: './node_modules/ssot-migrate/manifest/ssot.schema.json',
    canonical: { module: 'ssot-migrate/canonical', exports: ['UserExecutionContext', 'createWebSocketManager', 'hubOperations'], contextType: 'UserExecutionContext', factory: 'createWebSocketManager' },
    legacy: [{ id: 'STB001', module: 'src/websocket/WebSocketClients', symbols: {}, replacement: "hubOperations() from 'ssot-migrate/canonical'" }],
    classes: [{ module: 'src/websocket/WebSocketClients', class: 'WebSocketClients', members: {}, statics: STATIC_TEMPLATES }],
    verify: BIN_VERIFY,
  };
}
