// Loopback smoke of MultimediaSystemDemo's signaling-server (node server.js; its port is fixed at 8080
// in config/index.js; Redis from REDIS_HOST/REDIS_PORT — this script starts a redis-server on a free
// loopback port). Checks what managers/ClientManager.js serves: the welcome frame with the new client's
// id and the other clients (addClient, getAllClients keys), user-joined/user-left relayed over Redis to
// every local client (getAllClients values), and a WebRTC offer sent straight to its target (getClient),
// answered back. No text-message is sent: that path writes to the MySQL host hard-coded in utils/db.js.
// Run from signaling-server/: node /tmp/multimedia-signaling-server.smoke.cjs (the manifest's verify.test).
const { spawn } = require('node:child_process');
const WebSocket = require(require.resolve('ws', { paths: [process.cwd()] }));
let redisPort; let redis;
// a redis-server on a free loopback port (another one is tried when the port is taken)
function startRedis(left = 5) {
  redisPort = 30000 + Math.floor(Math.random() * 9000);
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const r = redis;
  r.on('exit', () => { if (r === redis && !app && left > 0) startRedis(left - 1); });
}
startRedis();
let app; let log = '';
const done = (code, m) => {
  if (code) console.error('SMOKE FAIL:', m, '\n--- app output ---\n' + log.slice(-3000)); else console.log(m);
  if (app) app.kill(); redis.kill(); setTimeout(() => process.exit(code), 300);
};
const timer = setTimeout(() => done(1, 'timeout'), 30000);
function client() {
  const ws = new WebSocket('ws://127.0.0.1:8080');
  const inbox = []; const waiters = [];
  ws.on('message', (d) => { inbox.push(JSON.parse(String(d))); for (const w of [...waiters]) w(); });
  const next = (type, pred = () => true) => new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no ${type} frame; inbox ${JSON.stringify(inbox)}`)), 5000);
    const check = () => { const i = inbox.findIndex((m) => m.type === type && pred(m)); if (i >= 0) { clearTimeout(t); waiters.splice(waiters.indexOf(check), 1); res(inbox.splice(i, 1)[0]); } };
    waiters.push(check); check();
  });
  return { ws, inbox, next, open: new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }) };
}
const expect = (c, m) => { if (!c) throw new Error(m); };
// the app exits when its first Redis connection fails: start it once redis-server accepts connections
const net = require('node:net');
const whenRedis = (tries = 300) => new Promise((res, rej) => {
  const s = net.connect(redisPort, '127.0.0.1', () => { s.end(); res(); });
  s.on('error', () => (tries > 0 ? setTimeout(() => whenRedis(tries - 1).then(res, rej), 100) : rej(new Error('redis-server did not start'))));
});
whenRedis().then(() => {
  app = spawn(process.execPath, ['server.js'], { env: { ...process.env, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redisPort) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let started = false;
  const onOut = async (d) => {
    log += d;
    if (started || !log.includes('Successfully connected to Redis') || !log.includes('listening on port')) return;
    started = true;
    try {
      const a = client(); await a.open;
      const wa = await a.next('welcome');
      expect(typeof wa.id === 'string' && wa.id && Array.isArray(wa.userList) && wa.userList.length === 0, 'a welcome ' + JSON.stringify(wa));
      await a.next('user-joined', (m) => m.id === wa.id);
      const b = client(); await b.open;
      const wb = await b.next('welcome');
      expect(wb.id !== wa.id && JSON.stringify(wb.userList) === JSON.stringify([wa.id]), 'b welcome ' + JSON.stringify(wb));
      const joined = await a.next('user-joined', (m) => m.id === wb.id);
      expect(joined.message.includes(wb.id), 'a user-joined ' + JSON.stringify(joined));
      a.ws.send(JSON.stringify({ type: 'offer', toId: wb.id, sdp: 'v=0 smoke' }));
      const offer = await b.next('offer');
      expect(offer.fromId === wa.id && offer.sdp === 'v=0 smoke', 'b offer ' + JSON.stringify(offer));
      b.ws.send(JSON.stringify({ type: 'answer', toId: wa.id, sdp: 'v=0 answer' }));
      const answer = await a.next('answer');
      expect(answer.fromId === wb.id && answer.sdp === 'v=0 answer', 'a answer ' + JSON.stringify(answer));
      b.ws.close();
      const left = await a.next('user-left', (m) => m.id === wb.id);
      expect(left.message.includes(wb.id), 'a user-left ' + JSON.stringify(left));
      await new Promise((r) => setTimeout(r, 200));
      expect(!a.inbox.some((m) => m.type === 'offer' || m.type === 'answer'), 'extra frames ' + JSON.stringify(a.inbox));
      clearTimeout(timer); a.ws.close();
      done(0, `SMOKE OK: welcome ${wa.id}/${wb.id}, user-joined, offer/answer, user-left`);
    } catch (e) { done(1, (e && e.stack) || e); }
  };
  app.stdout.on('data', onOut); app.stderr.on('data', onOut);
  app.on('exit', (c) => { if (!started) done(1, 'app exited ' + c); });
}, (e) => done(1, e.message));
