// Loopback smoke of the exchanger ws service (backend/ws): builds with the repo's tsconfig into dist/,
// starts `node dist/index.js` (port 3101, redis at the client default 127.0.0.1:6379 — started here when
// nothing answers there), then: alice SUBSCRIBEs to a channel, bob does not; a redis PUBLISH on the
// channel reaches alice only; alice UNSUBSCRIBEs and a second PUBLISH reaches nobody; closing alice
// makes the server log "user left". Run from backend/ws: node /tmp/exchanger-ws.smoke.cjs (this file copied there)
const { spawn, execFileSync } = require('node:child_process');
const WebSocket = require(require.resolve('ws', { paths: [process.cwd()] }));
const redisUp = () => { try { return execFileSync('redis-cli', ['-p', '6379', 'ping']).toString().trim() === 'PONG'; } catch { return false; } };
let redis = null;
if (!redisUp()) redis = spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [process.cwd()] }), '-p', 'tsconfig.json'], { stdio: 'inherit' });
let app = null;
const stop = (code) => { if (app) app.kill(); if (redis) redis.kill(); process.exit(code); };
const fail = (m) => { console.error('SMOKE FAIL:', m); stop(1); };
const timer = setTimeout(() => fail('timeout'), 20000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const channel = `trade@SMOKE_${process.pid}`;
const publish = (msg) => execFileSync('redis-cli', ['-p', '6379', 'publish', channel, JSON.stringify(msg)]).toString().trim();
function client() {
  const ws = new WebSocket('ws://127.0.0.1:3101');
  const inbox = [];
  ws.on('message', (d) => inbox.push(JSON.parse(String(d))));
  return { ws, inbox, send: (m) => ws.send(JSON.stringify(m)), open: new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }) };
}
(async () => {
  for (let i = 0; i < 50 && !redisUp(); i++) await sleep(100);
  let out = '';
  app = spawn(process.execPath, ['dist/index.js'], { stdio: ['ignore', 'pipe', 'inherit'] });
  app.stdout.on('data', (d) => { out += String(d); });
  let a, b;
  for (let i = 0; i < 50; i++) { try { a = client(); await a.open; break; } catch { a = null; await sleep(100); } }
  if (!a) fail('server did not accept a connection on 3101');
  b = client(); await b.open;
  a.send({ method: 'SUBSCRIBE', params: [channel] });
  await sleep(300);
  const first = { type: 'trade', data: { e: 'trade', t: 1, p: '1.5', q: '2', s: 'SMOKE' } };
  const receivers = publish(first);
  await sleep(300);
  if (receivers !== '1') fail(`redis publish reached ${receivers} subscribers, expected 1 (the server)`);
  if (a.inbox.length !== 1 || JSON.stringify(a.inbox[0]) !== JSON.stringify(first)) fail(`alice got ${JSON.stringify(a.inbox)}`);
  if (b.inbox.length !== 0) fail(`bob got ${JSON.stringify(b.inbox)}`);
  a.send({ method: 'UNSUBSCRIBE', params: [channel] });
  await sleep(300);
  publish({ type: 'trade', data: { e: 'trade', t: 2 } });
  await sleep(300);
  if (a.inbox.length !== 1) fail(`alice got ${a.inbox.length} messages after unsubscribing`);
  a.send({ method: 'SUBSCRIBE', params: [channel] });
  await sleep(200);
  a.ws.close();
  await sleep(300);
  if (!/user left/.test(out)) fail(`no "user left" after close; server said: ${out}`);
  publish({ type: 'trade', data: { e: 'trade', t: 3 } });
  await sleep(200);
  console.log('SMOKE OK', JSON.stringify(first));
  clearTimeout(timer); b.ws.close(); stop(0);
})().catch((e) => fail(e && e.stack || e));
