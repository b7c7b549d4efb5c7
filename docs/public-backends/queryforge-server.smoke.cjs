// Loopback smoke of QueryForge's server: the /ws request/response protocol over anonymous client ids.
// Run from server/: node /tmp/queryforge-server.smoke.cjs  (starts `tsx src/app.ts` on a free port; only handlers that
// make no outbound call: ping, getCacheStats, a malformed frame, an unknown type — each answer must reach only its sender)
const { spawn, execFileSync } = require('node:child_process');
// the app writes its SQLite history into the tracked data/history.db*: put them back, so a phase's tree stays clean
process.on('exit', () => { try { execFileSync('git', ['checkout', '--', 'data'], { stdio: 'ignore' }); } catch {} });
const WebSocket = require(require.resolve('ws', { paths: [process.cwd()] }));
const port = 40000 + Math.floor(Math.random() * 20000);
const tsx = require.resolve('tsx/cli', { paths: [process.cwd()] });
const app = spawn(process.execPath, [tsx, 'src/app.ts'], { env: { ...process.env, PORT: String(port), GEMINI_API_KEY: '', GEMINI_API_KEY_1: '', NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
const fail = (m) => { console.error('SMOKE FAIL:', m, '\n--- app output ---\n' + log.slice(-3000)); app.kill(); setTimeout(() => process.exit(1), 300); };
const timer = setTimeout(() => fail('timeout'), 30000);
app.stderr.on('data', (d) => { log += d; });
function client() {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const inbox = []; const waiters = [];
  ws.on('message', (d) => { inbox.push(JSON.parse(String(d))); for (const w of [...waiters]) w(); });
  const next = (pred) => new Promise((res) => { const check = () => { const i = inbox.findIndex(pred); if (i >= 0) { const [m] = inbox.splice(i, 1); waiters.splice(waiters.indexOf(check), 1); res(m); } }; waiters.push(check); check(); });
  return { ws, inbox, next, open: new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }) };
}
let started = false;
app.stdout.on('data', async (d) => {
  log += d;
  if (started || !log.includes('Server running')) return;
  started = true;
  try {
    const a = client(); const b = client(); await a.open; await b.open;
    const ca = await a.next((m) => m.type === 'connection'); const cb = await b.next((m) => m.type === 'connection');
    if (!ca.payload.clientId || ca.payload.clientId === cb.payload.clientId) throw new Error('client ids ' + JSON.stringify([ca, cb]));
    a.ws.send(JSON.stringify({ type: 'ping', requestId: 'r1', payload: {}, timestamp: Date.now() }));
    const pong = await a.next((m) => m.type === 'pong');
    if (pong.requestId !== 'r1') throw new Error('pong ' + JSON.stringify(pong));
    a.ws.send('not json');
    const bad = await a.next((m) => m.type === 'error');
    if (bad.payload.error !== 'Invalid message format') throw new Error('bad ' + JSON.stringify(bad));
    b.ws.send(JSON.stringify({ type: 'nope', requestId: 'r2', payload: {}, timestamp: Date.now() }));
    const unknown = await b.next((m) => m.type === 'error');
    if (unknown.requestId !== 'r2' || !/Unknown message type: nope/.test(unknown.payload.error)) throw new Error('unknown ' + JSON.stringify(unknown));
    b.ws.send(JSON.stringify({ type: 'getCacheStats', requestId: 'r3', payload: {}, timestamp: Date.now() }));
    const stats = await b.next((m) => m.type === 'cacheStats' && m.requestId === 'r3');
    if (typeof stats.payload !== 'object') throw new Error('stats ' + JSON.stringify(stats));
    await new Promise((r) => setTimeout(r, 300));
    if (a.inbox.length) throw new Error('A received frames meant for B: ' + JSON.stringify(a.inbox));
    console.log('SMOKE OK', ca.payload.clientId.length, 'char ids; pong, format error, unknown type, cacheStats', Object.keys(stats.payload).join(','));
    clearTimeout(timer); a.ws.close(); b.ws.close(); app.kill(); setTimeout(() => process.exit(0), 300);
  } catch (e) { fail(e && e.stack || e); }
});
app.on('exit', (c) => { if (!started) fail('app exited ' + c); });
