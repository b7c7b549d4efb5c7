// Loopback smoke of PrintWeave's plugin websocket subscriptions (@printweave/models' BasicWebsocketSubscriptionManager),
// built by the packages' own build (`tsc -p packages/<pkg>/tsconfig.json` into dist/, gitignored; api-types first) and
// loaded by package name as plugins do (node_modules/@printweave/* linked to packages/* as npm workspaces do): a `ws` server on
// 127.0.0.1 dispatching each frame like packages/printweave-api's WebsocketsManager (JSON.parse + toCamalCase +
// manager.onMessage), a plugin-style subclass (super.onSubscribe, a connection subclass carrying printerId);
// three clients: subscribe acknowledged / refused, sendMessageToAll, sendMessageToFiltered by printer,
// sendMessageToUser, a subscriber's own frame reaching handleMessage camel-cased, a closed subscriber pruned.
// Run from the repo root: node printweave.smoke.mjs (ws, sequelize, express… resolvable from there)
import { WebSocketServer, WebSocket } from 'ws';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc', { paths: [process.cwd(), new URL('node_modules/ssot-migrate', pathToFileURL(process.cwd() + '/')).pathname] });
for (const pkg of ['printweave-api-types', 'printweave-models']) spawnSync(process.execPath, [tsc, '-p', `packages/${pkg}/tsconfig.json`], { stdio: 'ignore' });
const models = await import('@printweave/models');

const { BasicWebsocketSubscriptionManager, WebsocketConnection, toCamalCase } = models;
const fail = (m) => { console.error('SMOKE FAIL:', m); process.exit(1); };
const timer = setTimeout(() => fail('timeout'), 15000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class PrinterConnection extends WebsocketConnection {
  constructor(ws, data, user) { super(ws, data, user); this.printerId = data.printerId; }
}
const handled = [];
class SmokeManager extends BasicWebsocketSubscriptionManager {
  id = 'SmokeManager';
  type = 'smoke';
  async checkAllowSubscription(user, data) { return data.printerId !== 13; }
  createConnection(ws, data, user) { return new PrinterConnection(ws, data, user); }
  async onSubscribe(ws, data, user) { await super.onSubscribe(ws, data, user); handled.push(`subscribed ${user.id}`); }
  async handleMessage(subscriber, data) { handled.push({ from: subscriber.user.id, data }); }
}
const manager = new SmokeManager();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (ws, req) => {
  const user = { id: new URL(req.url, 'http://x').searchParams.get('user'), username: 'u' };
  ws.on('message', async (raw) => {
    let data; try { data = JSON.parse(raw.toString()); } catch { return; }
    await manager.onMessage(ws, toCamalCase(data), user);
  });
});
await new Promise((r) => wss.once('listening', r));
const port = wss.address().port;
function client(user) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/?user=${user}`);
  const inbox = [];
  ws.on('message', (d) => inbox.push(JSON.parse(String(d))));
  return { ws, inbox, send: (m) => ws.send(JSON.stringify(m)), open: new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }) };
}
const a = client('1'), b = client('2'), c = client('3');
await Promise.all([a.open, b.open, c.open]);
a.send({ message: 'subscribe', subscription_type: 'smoke', printer_id: 5 });
b.send({ message: 'subscribe', subscription_type: 'smoke', printer_id: 6 });
c.send({ message: 'subscribe', subscription_type: 'smoke', printer_id: 13 });
a.send({ message: 'subscribe', subscription_type: 'other', printer_id: 5 });
await sleep(300);
const eq = (x, y) => JSON.stringify(x) === JSON.stringify(y);
if (!eq(a.inbox, [{ message: 'Subscribed to smoke' }])) fail(`a after subscribe: ${JSON.stringify(a.inbox)}`);
if (!eq(b.inbox, [{ message: 'Subscribed to smoke' }])) fail(`b after subscribe: ${JSON.stringify(b.inbox)}`);
if (!eq(c.inbox, [{ message: 'Not allowed to subscribe' }])) fail(`c after subscribe: ${JSON.stringify(c.inbox)}`);
manager.sendMessageToAll({ all: 1 });
manager.sendMessageToFiltered({ printer: 5 }, (s) => s.printerId === 5);
manager.sendMessageToUser('2', { to: 'user 2' });
a.send({ hello_world: { printer_id: 5 } });
await sleep(300);
if (!eq(a.inbox.slice(1), [{ all: 1 }, { printer: 5 }])) fail(`a: ${JSON.stringify(a.inbox)}`);
if (!eq(b.inbox.slice(1), [{ all: 1 }, { to: 'user 2' }])) fail(`b: ${JSON.stringify(b.inbox)}`);
if (c.inbox.length !== 1) fail(`c got ${JSON.stringify(c.inbox)}`);
if (!handled.some((h) => h.from === '1' && eq(h.data, { helloWorld: { printerId: 5 } }))) fail(`handleMessage saw ${JSON.stringify(handled)}`);
b.ws.close();
await sleep(200);
manager.sendMessageToAll({ all: 2 });
manager.sendMessageToAll({ all: 3 });
await sleep(200);
if (!eq(a.inbox.slice(3), [{ all: 2 }, { all: 3 }])) fail(`a after b left: ${JSON.stringify(a.inbox)}`);
if (manager.connections.length !== 1) fail(`${manager.connections.length} subscribers kept after b closed, expected 1`);
console.log('SMOKE OK', JSON.stringify(a.inbox));
clearTimeout(timer);
for (const x of [a, c]) x.ws.close();
wss.close();
process.exit(0);
