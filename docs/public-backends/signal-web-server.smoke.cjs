// Loopback smoke of signal-web's server (node server/index.js on a free port, a fresh SQLite file):
// registers users a and b over HTTP, connects real ws clients with one-time tickets, and checks what
// server/ws/connections.js serves: the presence list on connect (isOnline), a chat message relayed to
// b (getConnection) and `stored` to a, b's ack turned into `delivered` for a, typing relayed, a pre-key
// warning sent to b's socket from an HTTP route (routes/keys.js), a second socket of b replacing the
// first (closed with 4000), presence offline/online to a when b leaves/returns (removeConnection), and
// account deletion closing b's socket with 4002 (routes/auth.js). Run from the repo root.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const WebSocket = require(require.resolve('ws', { paths: [process.cwd()] }));
const port = 40000 + Math.floor(Math.random() * 20000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signal-smoke-'));
const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DB_PATH: path.join(dir, 'db.sqlite'), JWT_SECRET: 'smoke-secret', LOG_LEVEL: 'info' };
const app = spawn(process.execPath, ['server/index.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
const done = (code, m) => {
  if (code) console.error('SMOKE FAIL:', m, '\n--- app output ---\n' + log.slice(-3000)); else console.log(m);
  app.kill(); setTimeout(() => { fs.rmSync(dir, { recursive: true, force: true }); process.exit(code); }, 300);
};
const timer = setTimeout(() => done(1, 'timeout'), 40000);
app.stderr.on('data', (d) => { log += d; });
const base = `http://127.0.0.1:${port}`;
async function http(method, p, body, token) {
  const r = await fetch(base + p, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const j = await r.json();
  if (!r.ok) throw new Error(`${method} ${p} ${r.status} ${JSON.stringify(j)}`);
  return j;
}
async function client(token) {
  const { ticket } = await http('POST', '/api/auth/ws-ticket', null, token);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/?ticket=${ticket}`);
  const inbox = []; const waiters = [];
  ws.on('message', (d) => { inbox.push(JSON.parse(String(d))); for (const w of [...waiters]) w(); });
  const closed = new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: String(reason) })));
  const next = (type, pred = () => true) => new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no ${type} frame; inbox ${JSON.stringify(inbox)}`)), 5000);
    const check = () => { const i = inbox.findIndex((m) => m.type === type && pred(m)); if (i >= 0) { clearTimeout(t); waiters.splice(waiters.indexOf(check), 1); res(inbox.splice(i, 1)[0]); } };
    waiters.push(check); check();
  });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  return { ws, inbox, next, closed };
}
const expect = (c, m) => { if (!c) throw new Error(m); };
const quiet = () => new Promise((r) => setTimeout(r, 250));
let started = false;
app.stdout.on('data', async (d) => {
  log += d;
  if (started || !log.includes('Signal-Web server running')) return;
  started = true;
  try {
    const pw = 'Smoke-password-123';
    const ra = await http('POST', '/api/auth/register', { username: 'alice', password: pw });
    const rb = await http('POST', '/api/auth/register', { username: 'bob', password: pw });
    const a = await client(ra.token);
    const p0 = await a.next('presence');
    expect(Array.isArray(p0.onlineUserIds) && p0.onlineUserIds.length === 0, 'a presence ' + JSON.stringify(p0));
    let b = await client(rb.token);
    await b.next('presence');
    a.ws.send(JSON.stringify({ type: 'message', to: 'bob', id: 'm1', message: { type: 1, body: 'hello bob' } }));
    const got = await b.next('message');
    expect(got.from === 'alice' && got.message.body === 'hello bob' && typeof got.dbId === 'number', 'b got ' + JSON.stringify(got));
    const stored = await a.next('stored');
    expect(stored.id === 'm1', 'stored ' + JSON.stringify(stored));
    b.ws.send(JSON.stringify({ type: 'ack', dbId: got.dbId, originalId: 'm1' }));
    const delivered = await a.next('delivered');
    expect(delivered.id === 'm1', 'delivered ' + JSON.stringify(delivered));
    a.ws.send(JSON.stringify({ type: 'typing', to: 'bob', isTyping: true }));
    const typing = await b.next('typing');
    expect(typing.from === 'alice' && typing.isTyping === true, 'typing ' + JSON.stringify(typing));
    await http('PUT', '/api/keys/bundle', { registrationId: 7, identityKey: 'idk', signedPreKey: { keyId: 1, publicKey: 'spk', signature: 'sig' }, preKeys: [{ keyId: 1, publicKey: 'pk1' }] }, rb.token);
    await http('GET', `/api/keys/bundle/${rb.user.id}`, null, ra.token);
    const low = await b.next('prekey_low');
    expect(low.remaining === 0, 'prekey_low ' + JSON.stringify(low));
    // b's second socket replaces the first (the legacy module keeps one socket per user)
    const b2 = await client(rb.token);
    const replaced = await b.closed;
    expect(replaced.code === 4000, 'first socket of b closed with ' + JSON.stringify(replaced));
    const p2 = await b2.next('presence');
    expect(p2.onlineUserIds.includes(ra.user.id), 'b2 presence ' + JSON.stringify(p2));
    a.ws.send(JSON.stringify({ type: 'message', to: 'bob', id: 'm2', message: { type: 1, body: 'again' } }));
    const got2 = await b2.next('message');
    expect(got2.message.body === 'again', 'b2 got ' + JSON.stringify(got2));
    // presence changes of b reach a, its conversation partner (the replaced socket's close announces
    // b offline too, as the legacy code does: those frames are not counted here)
    b2.ws.close(); await b2.closed;
    const off = await a.next('presence', (m) => m.online === false);
    expect(off.userId === rb.user.id, 'offline ' + JSON.stringify(off));
    b = await client(rb.token);
    const on = await a.next('presence', (m) => m.online === true);
    expect(on.userId === rb.user.id, 'online ' + JSON.stringify(on));
    await quiet();
    const extraA = a.inbox.filter((m) => m.type !== 'stored' && m.type !== 'presence'); const extraB = b.inbox.filter((m) => m.type !== 'presence');
    expect(!extraA.length && !extraB.length, 'extra frames ' + JSON.stringify([extraA, extraB]));
    // deleting b's account closes b's socket with 4002
    await http('DELETE', '/api/auth/account', { password: pw }, rb.token);
    const del = await b.closed;
    expect(del.code === 4002, 'account deletion closed b with ' + JSON.stringify(del));
    clearTimeout(timer); a.ws.close();
    done(0, `SMOKE OK: message/stored/delivered/typing/prekey_low, replaced ${replaced.code}, presence off/on, deleted ${del.code}`);
  } catch (e) { done(1, (e && e.stack) || e); }
});
app.on('exit', (c) => { if (!started) done(1, 'app exited ' + c); });
