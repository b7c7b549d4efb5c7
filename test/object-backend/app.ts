/**
 * A small object-manager WebSocket backend (the shape of Rushil-Shrivastava/order-execution-engine's
 * `wsManager`: an object literal bound to an exported const over a module-level Map, no class),
 * written into a real git repo by the tests. `src/orderFeed.ts` is the legacy layer: its methods
 * call each other through `this`, it has a getter and a plain field; the server subscribes sockets
 * through it, the order service sends through it, and its own tests open real WebSocket clients
 * on loopback.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN_VERIFY } from '../helpers/fixture-manifest.js';

const TOOLKIT = path.resolve(import.meta.dirname, '../..');

export const APP_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'object-backend', version: '1.0.0', private: true, type: 'module', scripts: { typecheck: 'tsc --noEmit', test: 'vitest run' } }, null, 2)}\n`,
  'tsconfig.json': `${JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src', 'test'] }, null, 2)}\n`,
  'vitest.config.ts': "import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({ test: { include: ['test/**/*.test.ts'], pool: 'threads', reporters: ['default', 'junit'], outputFile: { junit: 'reports/junit.xml' }, testTimeout: 20_000 } });\n",
  '.gitignore': 'node_modules\nreports\n',
  'link-toolkit.sh': readFileSync(path.join(TOOLKIT, 'examples/relay-backend/link-toolkit.sh'), 'utf8'),
  'src/orderFeed.ts': `import { WebSocket } from 'ws';

// Who watches each order: the whole "manager" is this Map and the object below.
const watchers = new Map<string, Set<WebSocket>>();

export const orderFeed = {
  label: 'order-feed',
  watch(orderId: string, ws: WebSocket): void {
    const set = watchers.get(orderId) ?? new Set<WebSocket>();
    set.add(ws);
    watchers.set(orderId, set);
    ws.on('close', () => this.unwatch(orderId, ws));
    this.sendStatus(orderId, 'watching');
  },
  unwatch(orderId: string, ws: WebSocket): void {
    const set = watchers.get(orderId);
    set?.delete(ws);
    if (set && set.size === 0) watchers.delete(orderId);
  },
  notify(orderId: string, payload: Record<string, unknown>): void {
    const data = JSON.stringify(payload);
    for (const s of watchers.get(orderId) ?? []) if (s.readyState === WebSocket.OPEN) s.send(data);
  },
  sendStatus(orderId: string, status: string): void {
    this.notify(orderId, { type: 'order_status', orderId, status });
  },
  get watchedOrders(): number {
    return watchers.size;
  },
};
`,
  'src/server.ts': `import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { orderFeed } from './orderFeed.js';

export async function start(port = 0): Promise<{ wss: WebSocketServer; port: number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  wss.on('connection', (ws, req) => {
    const orderId = new URL(req.url ?? '/', 'http://x').searchParams.get('order') ?? 'none';
    orderFeed.watch(orderId, ws);
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return { wss, port: (wss.address() as AddressInfo).port };
}
`,
  'src/orders.ts': `import { orderFeed } from './orderFeed.js';

export function ship(orderId: string): void {
  orderFeed.sendStatus(orderId, 'shipped');
}

export function fill(orderId: string, price: number): void {
  orderFeed.notify(orderId, { type: 'fill', orderId, price });
}

export function feedInfo(): string {
  return \`\${orderFeed.label}: \${orderFeed.watchedOrders} order(s) watched\`;
}
`,
  'test/orders.test.ts': `import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketServer } from 'ws';
import { feedInfo, fill, ship } from '../src/orders.js';
import { start } from '../src/server.js';

let wss: WebSocketServer;
let port = 0;
beforeAll(async () => ({ wss, port } = await start()));
afterAll(() => new Promise<void>((resolve) => wss.close(() => resolve())));

/** A real client on loopback watching one order, collecting the parsed frames it receives. */
async function client(order: string): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>> }> {
  const ws = new WebSocket(\`ws://127.0.0.1:\${port}/?order=\${order}\`);
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  await until(() => frames.length > 0); // the 'watching' status
  return { ws, frames };
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

it('a watcher gets its order statuses and fills, and no other order', async () => {
  const a = await client('o-1');
  const b = await client('o-2');
  expect(a.frames).toEqual([{ type: 'order_status', orderId: 'o-1', status: 'watching' }]);
  ship('o-1');
  fill('o-1', 101.5);
  await until(() => a.frames.length >= 3);
  expect(a.frames.slice(1)).toEqual([{ type: 'order_status', orderId: 'o-1', status: 'shipped' }, { type: 'fill', orderId: 'o-1', price: 101.5 }]);
  await new Promise((r) => setTimeout(r, 50));
  expect(b.frames).toEqual([{ type: 'order_status', orderId: 'o-2', status: 'watching' }]);
  expect(feedInfo()).toBe('order-feed: 2 order(s) watched');
  a.ws.close();
  b.ws.close();
});

it('a closed watcher is forgotten', async () => {
  const c = await client('o-3');
  c.ws.close();
  await new Promise<void>((resolve) => c.ws.once('close', () => resolve()));
  await until(() => !feedInfo().includes('1 order'));
  expect(() => ship('o-3')).not.toThrow();
  expect(feedInfo()).toBe('order-feed: 0 order(s) watched');
});
`,
};

/** The manifest a person writes for it (init drafts the classes[] entry, see the test): a template per member. */
export const MEMBER_TEMPLATES: Record<string, string> = {
  label: "'order-feed'",
  watch: "((ws) => { const id = $hub.connect($1, ws); ws.on('close', () => { $hub.disconnect(id); }); $hub.sendToUser($1, { type: 'order_status', orderId: $1, status: 'watching' }); })($2)",
  unwatch: "$hub.disconnect($hub.hub.getConnectionIdBySocket($2) ?? '')",
  notify: '$hub.sendToUser($1, { ...$2 })',
  sendStatus: "$hub.sendToUser($1, { type: 'order_status', orderId: $1, status: $2 })",
  watchedOrders: '$hub.listConnectedUsers().length',
};

export function appManifest(): Record<string, unknown> {
  return {
    $schema: './node_modules/ssot-migrate/manifest/ssot.schema.json',
    canonical: { module: 'ssot-migrate/canonical', exports: ['UserExecutionContext', 'createWebSocketManager', 'hubOperations'], contextType: 'UserExecutionContext', factory: 'createWebSocketManager' },
    legacy: [{ id: 'OBJ001', module: 'src/orderFeed', symbols: {}, replacement: "hubOperations() from 'ssot-migrate/canonical', keyed by order id" }],
    classes: [{ module: 'src/orderFeed', class: 'orderFeed', members: MEMBER_TEMPLATES }],
    verify: BIN_VERIFY,
  };
}

/**
 * Run in the repo at strangle's commit (not committed): the facade exercised at run time in the
 * four modes over real loopback sockets, flipped through the shim runtime's API, with the
 * telemetry it records per call site.
 */
export const MODES_TEST = `import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketServer } from 'ws';
import { hubOperations } from 'ssot-migrate/canonical';
import { DeprecatedApiError, getShimRuntime } from 'ssot-migrate/shim';
import { orderFeed as frozenFeed } from '../src/orderFeed.legacy.js';
import { feedInfo, ship } from '../src/orders.js';
import { start } from '../src/server.js';

let wss: WebSocketServer;
let port = 0;
beforeAll(async () => ({ wss, port } = await start()));
afterAll(() => new Promise<void>((resolve) => wss.close(() => resolve())));

async function client(order: string): Promise<{ ws: WebSocket; frames: Array<Record<string, unknown>> }> {
  const ws = new WebSocket(\`ws://127.0.0.1:\${port}/?order=\${order}\`);
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  await until(() => frames.length > 0);
  return { ws, frames };
}
const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};
const settle = () => new Promise((r) => setTimeout(r, 80));
const runtime = getShimRuntime();
const status = (orderId: string, s: string) => ({ type: 'order_status', orderId, status: s });

it('canonical: the templates serve on the hub; the frozen object records the watcher (registration) without writing; a rollback then serves it', async () => {
  runtime.modes.set('OBJ001', 'canonical');
  const a = await client('c-1');
  ship('c-1');
  await until(() => a.frames.length >= 2);
  await settle();
  expect(a.frames).toEqual([status('c-1', 'watching'), status('c-1', 'shipped')]);
  expect(hubOperations().isOnline('c-1')).toBe(true);
  expect(frozenFeed.watchedOrders).toBe(1);
  expect(feedInfo()).toBe('order-feed: 1 order(s) watched');
  runtime.modes.set('OBJ001', 'legacy');
  ship('c-1');
  await until(() => a.frames.length >= 3);
  expect(a.frames).toEqual([status('c-1', 'watching'), status('c-1', 'shipped'), status('c-1', 'shipped')]);
  a.ws.close();
  await until(() => !hubOperations().isOnline('c-1') && frozenFeed.watchedOrders === 0);
  expect(hubOperations().isOnline('c-1')).toBe(false);
  expect(frozenFeed.watchedOrders).toBe(0);
});

it('legacy (rollback): the frozen object serves, its this-calls on itself; the hub records the watcher, muted; a flip forward then serves it', async () => {
  runtime.modes.set('OBJ001', 'legacy');
  const b = await client('l-1');
  ship('l-1');
  await until(() => b.frames.length >= 2);
  await settle();
  expect(b.frames).toEqual([status('l-1', 'watching'), status('l-1', 'shipped')]);
  expect(frozenFeed.watchedOrders).toBe(1);
  expect(hubOperations().isOnline('l-1')).toBe(true);
  expect(feedInfo()).toBe('order-feed: 1 order(s) watched');
  runtime.modes.set('OBJ001', 'canonical');
  ship('l-1');
  await until(() => b.frames.length >= 3);
  expect(b.frames).toEqual([status('l-1', 'watching'), status('l-1', 'shipped'), status('l-1', 'shipped')]);
  runtime.modes.set('OBJ001', 'legacy');
  b.ws.close();
  await until(() => frozenFeed.watchedOrders === 0 && !hubOperations().isOnline('l-1'));
  expect(frozenFeed.watchedOrders).toBe(0);
  expect(hubOperations().isOnline('l-1')).toBe(false);
});

it('strict: each member call throws DeprecatedApiError naming the id and the member', () => {
  runtime.modes.set('OBJ001', 'strict');
  expect(() => ship('s-1')).toThrow(DeprecatedApiError);
  expect(() => ship('s-1')).toThrow(/OBJ001.*orderFeed\\.sendStatus/);
});

it('shadow: the frozen object serves over the real socket, the templates run beside it; one frame each, no mismatch', async () => {
  runtime.modes.set('OBJ001', 'shadow');
  const calls = runtime.shadow.calls;
  const d = await client('s-2');
  ship('s-2');
  await until(() => d.frames.length >= 2);
  await settle();
  expect(d.frames).toEqual([status('s-2', 'watching'), status('s-2', 'shipped')]);
  expect(frozenFeed.watchedOrders).toBe(1);
  expect(hubOperations().isOnline('s-2')).toBe(true); // recorded on the hub too, muted: a flip forward from shadow serves it
  expect(runtime.shadow.calls - calls).toBe(2);
  expect(runtime.shadow.mismatches()).toEqual([]);
  d.ws.close();
});

it('telemetry: one record per member and call site, naming the app file that called, in each mode it ran', () => {
  const uses = runtime.telemetry.snapshot().filter((r) => r.id === 'OBJ001');
  const at = (symbol: string, file: string) => uses.filter((r) => r.symbol === symbol && r.site?.file.endsWith(file)).map((r) => r.mode).sort();
  expect(at('orderFeed.sendStatus', 'src/orders.ts')).toEqual(['canonical', 'legacy', 'shadow', 'strict']);
  expect(at('orderFeed.watch', 'src/server.ts')).toEqual(['canonical', 'legacy', 'shadow']);
  expect(at('orderFeed.watchedOrders', 'src/orders.ts')).toEqual(['canonical', 'legacy']);
  // the frozen object's own this-calls (watch → sendStatus → notify, the close listener's unwatch) are no use
  expect(uses.filter((r) => r.symbol === 'orderFeed.notify' || r.symbol === 'orderFeed.unwatch')).toEqual([]);
});
`;
