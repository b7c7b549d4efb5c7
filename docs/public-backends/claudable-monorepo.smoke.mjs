// Loopback smoke of Claudable's WebSocket path (run: node --import tsx ssot-smoke.mjs, TSX_TSCONFIG_PATH=apps/web/tsconfig.json
// so `@repo/*` resolves as the web app's does): packages/ws/src/server.ts (the standalone acceptor) on a free port, and the
// web app's bridge route apps/web/pages/api/ws/broadcast.ts called in the same process with a request object; clients on
// /api/chat/p1 (two) and /api/chat/p2: `ping` answered `pong`, an event posted for p1 reaches both p1 clients and not
// p2, a bad body answered 400, a closed client is dropped and the other still receives.
import net from 'node:net';

const port = await new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
process.env.WS_PORT = String(port);
const { default: WebSocket } = await import('ws');
await import('./packages/ws/src/server.ts');
const { default: broadcast } = await import('./apps/web/pages/api/ws/broadcast.ts');

const fail = (m) => { console.error('SMOKE FAIL:', m); process.exit(1); };
setTimeout(() => fail('timeout'), 20000).unref();
function client(path) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  const inbox = []; const waiters = [];
  ws.on('message', (d) => { inbox.push(String(d)); for (const w of [...waiters]) w(); });
  const next = () => new Promise((res) => { const check = () => { if (inbox.length) { waiters.splice(waiters.indexOf(check), 1); res(inbox.shift()); } }; waiters.push(check); check(); });
  return { ws, inbox, next, open: new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }) };
}
function post(body) {
  return new Promise((resolve) => {
    const res = { code: 200, headers: {}, setHeader(k, v) { this.headers[k] = v; }, status(c) { this.code = c; return this; }, json(b) { resolve([this.code, b]); }, end(b) { resolve([this.code, b]); } };
    broadcast({ method: 'POST', headers: {}, body }, res);
  });
}
const settle = () => new Promise((r) => setTimeout(r, 150));

const a = client('/api/chat/p1'); const b = client('/api/chat/p1'); const c = client('/api/chat/p2');
await Promise.all([a.open, b.open, c.open]);
a.ws.send('ping');
const pong = await a.next();
if (pong !== 'pong') fail('ping answered ' + pong);
const [code] = await post({ projectId: 'p1', event: { type: 'project_status', status: 'ready', project_id: 'p1' } });
if (code !== 204) fail('broadcast answered ' + code);
for (const [n, x] of [['a', a], ['b', b]]) {
  const f = JSON.parse(await x.next());
  if (f.type !== 'project_status' || f.status !== 'ready' || f.project_id !== 'p1') fail(`${n} got ${JSON.stringify(f)}`);
}
await settle();
if (c.inbox.length) fail('p2 got ' + JSON.stringify(c.inbox));
const [bad] = await post({ projectId: 'p1', event: { nope: 1 } });
if (bad !== 400) fail('a bad body answered ' + bad);
a.ws.close();
await settle();
await post({ projectId: 'p1', event: { type: 'cli_output', output: 'done', cli_type: 'claude' } });
const g = JSON.parse(await b.next());
if (g.type !== 'cli_output' || g.output !== 'done') fail('b got ' + JSON.stringify(g));
await settle();
if (a.inbox.length || c.inbox.length) fail('extra frames ' + JSON.stringify([a.inbox, c.inbox]));
b.ws.close(); c.ws.close();
console.log('SMOKE OK: pong; p1 event to both p1 clients, not p2; bad body 400; after one p1 client closed the other still receives');
process.exit(0);
