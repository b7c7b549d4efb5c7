// Loopback smoke of verse-proxy's WebSocket path (NestJS + @nestjs/platform-ws, src/main.ts run by ts-node with
// tsconfig-paths, one cluster worker): a fake node (a `ws` server on 127.0.0.1) stands behind VERSE_WS_URL; two
// clients connect to the proxy: `ping` answered `pong` by the proxy itself, `eth_subscribe` relayed to the node under
// another id and answered to the client under its own id, the node's subscription push passed through to the client
// whose upstream socket it came from only, each client its own upstream socket; a closed client closes its upstream.
const { spawn } = require('node:child_process');
const WebSocket = require(require.resolve('ws', { paths: [process.cwd()] }));
const nodePort = 40000 + Math.floor(Math.random() * 10000);
const port = nodePort + 10000;
const upstream = []; // one entry per upstream socket the proxy opened
const node = new WebSocket.Server({ host: '127.0.0.1', port: nodePort });
node.on('connection', (s) => {
  const entry = { s, got: [], closed: false };
  upstream.push(entry);
  s.on('close', () => { entry.closed = true; });
  s.on('message', (d) => {
    const req = JSON.parse(String(d));
    entry.got.push(req);
    if (req.method === 'eth_subscribe') {
      const sub = `0xsub${upstream.indexOf(entry)}`;
      s.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: sub }));
      setTimeout(() => s.send(JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription: sub, result: { number: '0x1' } } })), 50);
    }
  });
});
const tsNode = require.resolve('ts-node/dist/bin.js', { paths: [process.cwd()] });
const app = spawn(process.execPath, [tsNode, '-r', 'tsconfig-paths/register', '--transpile-only', 'src/main.ts'], {
  env: { ...process.env, VERSE_WS_URL: `ws://127.0.0.1:${nodePort}`, PORT: String(port), CLUSTER_PROCESS: '1', NODE_ENV: 'production' },
  stdio: ['ignore', 'pipe', 'pipe'], detached: true,
});
let log = '';
const done = (code, m) => {
  if (code) console.error('SMOKE FAIL:', m, '\n--- app output ---\n' + log.slice(-3000)); else console.log(m);
  try { process.kill(-app.pid, 'SIGTERM'); } catch {}
  node.close(); setTimeout(() => process.exit(code), 300);
};
const timer = setTimeout(() => done(1, 'timeout'), 60000);
app.stderr.on('data', (d) => { log += d; });
const died = () => { if (!started && /died with code/.test(log)) done(1, 'the worker died before the app started'); };
app.stderr.on('data', died);
function client() {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const inbox = []; const waiters = [];
  ws.on('message', (d) => { inbox.push(String(d)); for (const w of [...waiters]) w(); });
  const next = () => new Promise((res) => { const check = () => { if (inbox.length) { waiters.splice(waiters.indexOf(check), 1); res(inbox.shift()); } }; waiters.push(check); check(); });
  return { ws, inbox, next, open: new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }) };
}
let started = false;
app.stdout.on('data', async (d) => {
  log += d; died();
  if (started || !log.includes('Nest application successfully started')) return;
  started = true;
  try {
    // Nest logs "successfully started" before its HTTP server listens: wait for the port
    for (let i = 0; ; i++) {
      const ok = await new Promise((r) => { const c = require('node:net').connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
      if (ok) break;
      if (i > 100) throw new Error('the proxy never listened on ' + port);
      await new Promise((r) => setTimeout(r, 100));
    }
    const a = client(); await a.open;
    a.ws.send('ping');
    const pong = await a.next();
    if (pong !== 'pong') throw new Error('ping answered ' + pong);
    const b = client(); await b.open;
    a.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'eth_subscribe', params: ['newHeads'] }));
    const res = JSON.parse(await a.next());
    if (res.id !== 7 || typeof res.result !== 'string') throw new Error('subscribe answered ' + JSON.stringify(res));
    const push = JSON.parse(await a.next());
    if (push.method !== 'eth_subscription' || push.params.subscription !== res.result) throw new Error('push ' + JSON.stringify(push));
    if (upstream.length !== 2) throw new Error(`${upstream.length} upstream sockets for 2 clients`);
    const relayed = upstream.flatMap((u) => u.got);
    if (relayed.length !== 1 || relayed[0].id === 7) throw new Error('node got ' + JSON.stringify(relayed));
    await new Promise((r) => setTimeout(r, 200));
    if (b.inbox.length) throw new Error('b got ' + JSON.stringify(b.inbox));
    a.ws.close();
    await new Promise((r) => setTimeout(r, 500));
    const closedUp = upstream.filter((u) => u.closed).length;
    if (closedUp !== 1) throw new Error(`${closedUp} upstream sockets closed after one client closed`);
    b.ws.send('ping');
    const pong2 = await b.next();
    if (pong2 !== 'pong') throw new Error('b ping answered ' + pong2);
    clearTimeout(timer); b.ws.close();
    done(0, `SMOKE OK: pong; eth_subscribe id 7 relayed as ${relayed[0].id} -> ${res.result}; push passed through; 2 upstream sockets, 1 closed with its client`);
  } catch (e) { done(1, e && e.stack || e); }
});
app.on('exit', (c) => { if (!started) done(1, 'app exited ' + c); });
