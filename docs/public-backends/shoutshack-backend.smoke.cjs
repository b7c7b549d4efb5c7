// Loopback smoke of ShoutShack's WebSocket server (src/websocket/wsServer.ts, run by tsx on a free port):
// two clients, each message echoed to its sender only as `Echo: <text>`, the server up after a client closes.
// Run from backend/: node /tmp/shoutshack-backend.smoke.cjs  (needs conf/.env — ignored by the repo's `*.env` —
// holding the variables src/env/load.ts requires; WS_PORT is passed in the environment, which dotenv keeps)
const { spawn } = require('node:child_process');
const WebSocket = require(require.resolve('ws', { paths: [process.cwd()] }));
const port = 40000 + Math.floor(Math.random() * 20000);
const tsx = require.resolve('tsx/cli', { paths: [process.cwd()] });
const app = spawn(process.execPath, [tsx, 'src/websocket/wsServer.ts'], { env: { ...process.env, WS_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
const done = (code, m) => { if (code) console.error('SMOKE FAIL:', m, '\n--- app output ---\n' + log.slice(-3000)); else console.log(m); app.kill(); setTimeout(() => process.exit(code), 200); };
const timer = setTimeout(() => done(1, 'timeout'), 30000);
app.stderr.on('data', (d) => { log += d; });
function client() {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const inbox = []; const waiters = [];
  ws.on('message', (d) => { inbox.push(String(d)); for (const w of [...waiters]) w(); });
  const next = () => new Promise((res) => { const check = () => { if (inbox.length) { waiters.splice(waiters.indexOf(check), 1); res(inbox.shift()); } }; waiters.push(check); check(); });
  return { ws, inbox, next, open: new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }) };
}
let started = false;
app.stdout.on('data', async (d) => {
  log += d;
  if (started || !log.includes('WebSocket server started')) return;
  started = true;
  try {
    const a = client(); const b = client(); await a.open; await b.open;
    a.ws.send('hello from a');
    const ea = await a.next();
    if (ea !== 'Echo: hello from a') throw new Error('a got ' + ea);
    b.ws.send('hello from b');
    const eb = await b.next();
    if (eb !== 'Echo: hello from b') throw new Error('b got ' + eb);
    await new Promise((r) => setTimeout(r, 200));
    if (a.inbox.length || b.inbox.length) throw new Error('extra frames ' + JSON.stringify([a.inbox, b.inbox]));
    b.ws.close();
    await new Promise((r) => setTimeout(r, 200));
    a.ws.send('again');
    const again = await a.next();
    if (again !== 'Echo: again') throw new Error('a got ' + again);
    clearTimeout(timer); a.ws.close();
    done(0, `SMOKE OK: ${ea} / ${eb} / ${again}`);
  } catch (e) { done(1, e && e.stack || e); }
});
app.on('exit', (c) => { if (!started) done(1, 'app exited ' + c); });
