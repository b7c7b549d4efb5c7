// Loopback smoke of Rushil-Shrivastava/order-execution-engine (Fastify 4 + @fastify/websocket 8, BullMQ on
// Redis, Postgres): builds with the repo's tsconfig into dist/, starts a redis-server on 127.0.0.1:6393
// (Postgres is not started: every query fails with ECONNREFUSED, which the app logs), starts
// `node dist/src/server.js` on 127.0.0.1:3217, then: client A subscribes to order smoke-A over
// GET /api/orders/execute?orderId=…, client B to smoke-B; both get {orderId, status:'pending'}. A job for
// smoke-A put on the `orders` queue runs in the app's worker: it sends `routing` (wsManager.sendStatus) and
// fails at its first DB write, so BullMQ's QueueEvents `failed` handler sends {status:'failed', reason}
// (wsManager.notify). A gets exactly pending, routing, failed; B only pending. Closing A unregisters it:
// a second job for smoke-A reaches nobody and the app still answers GET /health.
// Run from the repository root: node /tmp/order-execution-engine.smoke.cjs (this file copied there).
const { spawn, execFileSync } = require('node:child_process');
const from = { paths: [process.cwd()] };
const WebSocket = require(require.resolve('ws', from));
const { Queue } = require(require.resolve('bullmq', from));
const REDIS_PORT = 6393;
const PORT = 3217;
const redisUrl = `redis://127.0.0.1:${REDIS_PORT}`;
const redisUp = () => { try { return execFileSync('redis-cli', ['-p', String(REDIS_PORT), 'ping']).toString().trim() === 'PONG'; } catch { return false; } };
let redis = null;
if (!redisUp()) redis = spawn('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', from), '-p', 'tsconfig.json'], { stdio: 'inherit' });
let app = null;
let queue = null;
const stop = async (code) => { if (queue) await queue.close().catch(() => {}); if (app) app.kill(); if (redis) redis.kill(); process.exit(code); };
const fail = (m) => { console.error('SMOKE FAIL:', m); void stop(1); };
const timer = setTimeout(() => fail('timeout'), 40000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function client(orderId) {
  const ws = new WebSocket(`ws://127.0.0.1:${PORT}/api/orders/execute?orderId=${orderId}`);
  const inbox = [];
  ws.on('message', (d) => inbox.push(JSON.parse(String(d))));
  return { ws, inbox, open: new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }) };
}
const statuses = (c) => c.inbox.map((m) => m.status).join(',');
async function until(pred, ms, what) {
  for (let t = 0; t < ms; t += 50) { if (pred()) return; await sleep(50); }
  fail(what);
}
(async () => {
  for (let i = 0; i < 50 && !redisUp(); i++) await sleep(100);
  let out = '';
  app = spawn(process.execPath, ['dist/src/server.js'], { env: { ...process.env, PORT: String(PORT), REDIS_URL: redisUrl, DATABASE_URL: '', PG_HOST: '127.0.0.1', PG_PORT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  app.stdout.on('data', (d) => { out += String(d); });
  app.stderr.on('data', (d) => { out += String(d); });
  let a;
  for (let i = 0; i < 80; i++) { try { a = client('smoke-A'); await a.open; break; } catch { a = null; await sleep(100); } }
  if (!a) return fail(`server did not accept a connection on ${PORT}; it said: ${out}`);
  const b = client('smoke-B'); await b.open;
  await until(() => a.inbox.length >= 1 && b.inbox.length >= 1, 3000, 'no pending frame');
  queue = new Queue('orders', { connection: { host: '127.0.0.1', port: REDIS_PORT, maxRetriesPerRequest: null } });
  await queue.add('execute-order', { orderId: 'smoke-A', tokenIn: 'SOL', tokenOut: 'USDC', amount: 1 }, { attempts: 1 });
  await until(() => a.inbox.some((m) => m.status === 'failed'), 15000, `A got ${JSON.stringify(a.inbox)}; server said: ${out.slice(-2000)}`);
  await sleep(300);
  if (statuses(a) !== 'pending,routing,failed') return fail(`A got ${JSON.stringify(a.inbox)}`);
  if (a.inbox.some((m) => m.orderId !== 'smoke-A')) return fail(`A got another order's frame: ${JSON.stringify(a.inbox)}`);
  if (statuses(b) !== 'pending') return fail(`B got ${JSON.stringify(b.inbox)}`);
  a.ws.close();
  await sleep(300);
  await queue.add('execute-order', { orderId: 'smoke-A', tokenIn: 'SOL', tokenOut: 'USDC', amount: 2 }, { attempts: 1 });
  await sleep(1500);
  if (a.inbox.length !== 3 || statuses(b) !== 'pending') return fail(`after A closed: A ${JSON.stringify(a.inbox)}, B ${JSON.stringify(b.inbox)}`);
  const health = await fetch(`http://127.0.0.1:${PORT}/health`).then((r) => r.json());
  if (health.status !== 'ok') return fail(`health ${JSON.stringify(health)}`);
  console.log('SMOKE OK', JSON.stringify(a.inbox));
  clearTimeout(timer); b.ws.close(); await stop(0);
})().catch((e) => fail(e && e.stack || e));
