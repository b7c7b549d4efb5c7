// Smoke of the app's server context through its tsyringe container, as the services reach it: the
// primary process's registrations (src/ioc/ioc-container-config.ts, NODE_ENV=dev), the "serverContext"
// token resolved twice (one singleton), users, groups and a client connection with a real ws socket on
// 127.0.0.1 reached through getUserConnections. Run from the repo root: node ssot-smoke.cjs
process.env.NODE_ENV = 'dev';
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
require('reflect-metadata');
require('./src/ioc/ioc-container-config');
const { container } = require('tsyringe');
const { WebSocketServer, WebSocket } = require('ws');
const fail = (m) => { console.error('SMOKE FAIL:', m); process.exit(1); };
setTimeout(() => fail('timeout'), 15000).unref();
(async () => {
  const ctx = container.resolve('serverContext');
  if (ctx !== container.resolve('serverContext')) fail('serverContext is not one singleton');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const server = new Promise((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.0.0.1:${wss.address().port}`);
  const got = new Promise((r) => client.once('message', (d) => r(String(d))));
  const ws = await server;
  ws.id = 'c1';
  ctx.setServerId(1);
  ctx.storeClientConnection('c1', { serverId: ctx.getServerId(), webSocket: ws });
  ctx.storeUserContext('alice', { username: 'alice', connectionIds: ['c1'], connectedAt: new Date() });
  ctx.updateClientUsername('c1', 'alice');
  ctx.storeGroupContext('g', { id: 'g1', groupName: 'g', users: new Map(), createAt: new Date() });
  ctx.addUserInGroup('alice', 'g');
  if (!ctx.getUserContext('alice').groups.includes('g')) fail('group not recorded on the user');
  const conns = ctx.getUserConnections('alice');
  if (conns.length !== 1) fail(`getUserConnections: ${conns.length}`);
  conns[0].send('hello');
  if ((await got) !== 'hello') fail('frame not delivered');
  ctx.removeUserFromGroup('alice', 'g');
  if (ctx.getGroupContext('g').users.has('alice')) fail('user still in group');
  ctx.removeClientConnection('c1');
  if (ctx.getUserConnections('alice').length !== 0) fail('connection not removed');
  client.close(); wss.close();
  console.log('smoke ok');
  process.exit(0);
})().catch((e) => fail(e && e.stack || e));
