/**
 * A bench server process: `node --expose-gc --import tsx bench/canonical/server.ts canonical|raw|socketio`.
 * `canonical` is the real canonical endpoint (JWT at the upgrade, hub, heartbeats) driven through
 * scoped managers; `raw` is a plain `ws` server that tracks its sockets and sends the same
 * frames in a plain loop — the baseline; `socketio` is a Socket.IO v4 server as a team would set it
 * up instead (websocket transport only, no compression, JWT checked in a middleware, a room per
 * user, `io.to(userId).emit('event', envelope)` with the same envelopes). All answer the same
 * commands (see channel.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { jwtVerify } from 'jose';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { createConnectionHub, createWebSocketServer, SUBPROTOCOL } from '../../canonical/index.js';
import type { CanonicalWebSocketServer, ConnectionHub } from '../../canonical/index.js';
import { emitCanonicalRounds } from './canonical-send.js';
import { serveCommands } from './channel.js';
import { gcTake, gcWatch } from './gc-watch.js';
import { BENCH_AUTH, envelopeObject, epochMaker, epochNow, FIVE_EVENT_RUN, rawEnvelope, runIdOf, userIdOf } from './workload.js';

const kind = process.argv[2];
if (kind !== 'canonical' && kind !== 'raw' && kind !== 'socketio') {
  process.stderr.write('usage: server.ts canonical|raw|socketio\n');
  process.exit(2);
}

interface SendPlan {
  prefix: string;
  users: number;
  rounds: number;
  tag: string;
  /**
   * Latency runs: each event's send time (epochNow, sub-ms) at `(round × users + user) × 5 + k`,
   * taken just before the call that emits it (emitNow / ws.send / io.to().emit), the same point
   * for all three servers.
   */
  stamps?: Float64Array;
}

/** One side of the comparison: how it listens, counts sockets and sends a plan. */
interface Side {
  url: string;
  connections(): number;
  /** Sends `rounds` five-event runs to each user; resolves when every frame is handed to ws. */
  send(plan: SendPlan): Promise<void>;
  close(): Promise<void>;
}

async function canonicalSide(heartbeatIntervalMs: number): Promise<Side> {
  // BENCH_CANONICAL_COALESCE=tick|immediate measures the hub's opt-in write coalescing (default off, as shipped).
  const coalesceWrites = (process.env.BENCH_CANONICAL_COALESCE ?? 'off') as 'off' | 'tick' | 'immediate';
  const hub: ConnectionHub = createConnectionHub({ coalesceWrites });
  const server: CanonicalWebSocketServer = await createWebSocketServer({
    hub,
    port: 0,
    auth: { key: new TextEncoder().encode(BENCH_AUTH.secret), algorithms: ['HS256'], issuer: BENCH_AUTH.issuer, audience: BENCH_AUTH.audience },
    allowedOrigins: ['http://bench.invalid'],
    heartbeatIntervalMs,
  });
  return {
    url: server.url(),
    connections: () => server.connectionCount,
    async send({ prefix, users, rounds, tag, stamps }) {
      await emitCanonicalRounds(hub, Array.from({ length: users }, (_, i) => userIdOf(prefix, i)), rounds, tag, tick, stamps);
    },
    async close() {
      await server.close();
      await hub.close();
    },
  };
}

async function rawSide(heartbeatIntervalMs: number): Promise<Side> {
  const http = createServer();
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  // The least a real server keeps: which socket belongs to which user, and the heartbeat the
  // ws README prescribes to reap dead sockets (ping; terminate one that missed the last pong),
  // at the same interval as canonical's, so the two idle servers do the same periodic work.
  const byUser = new Map<string, WebSocket>();
  // The frames carry a per-user offset and an epoch like canonical's, so both send the same bytes.
  const streams = new Map<string, { epoch: string; offset: number }>();
  const nextEpoch = epochMaker();
  const alive = new WeakSet<WebSocket>();
  wss.on('connection', (ws, req) => {
    const userId = new URL(req.url ?? '/', 'http://localhost').searchParams.get('userId') ?? '';
    byUser.set(userId, ws);
    if (!streams.has(userId)) streams.set(userId, { epoch: nextEpoch(), offset: 0 });
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (byUser.get(userId) === ws) byUser.delete(userId);
    });
  });
  const heartbeat = setInterval(() => {
    for (const ws of byUser.values()) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, heartbeatIntervalMs);
  heartbeat.unref();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    connections: () => byUser.size,
    async send({ prefix, users, rounds, tag, stamps }) {
      const ids = Array.from({ length: users }, (_, i) => userIdOf(prefix, i));
      for (let r = 0; r < rounds; r++) {
        // Event-major, the order canonical's concurrent runs put frames on the wire (each run's
        // emit k happens for every user before emit k+1); user-major measured no faster.
        for (let k = 0; k < FIVE_EVENT_RUN.length; k++) {
          for (let i = 0; i < ids.length; i++) {
            const userId = ids[i]!;
            if (stamps !== undefined) stamps[(r * ids.length + i) * FIVE_EVENT_RUN.length + k] = epochNow();
            const ws = byUser.get(userId);
            const stream = streams.get(userId);
            if (ws && stream) ws.send(rawEnvelope(FIVE_EVENT_RUN[k]!, k + 1, userId, runIdOf(`${tag}r${r}`, userId), ++stream.offset, stream.epoch));
          }
        }
        await tick();
      }
    },
    async close() {
      for (const ws of byUser.values()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * Socket.IO v4: websocket transport only (no long-polling upgrade dance), no per-message deflate,
 * the JWT (the same token) checked in a middleware, each socket in a room named by its user, pings
 * at the same interval as the others' heartbeats. Sends the same envelopes, in the same order, with
 * `io.to(userId).emit('event', envelope)` — Socket.IO serialises each once per broadcast.
 */
async function socketIoSide(heartbeatIntervalMs: number): Promise<Side> {
  const http = createServer();
  const io = new SocketIoServer(http, {
    transports: ['websocket'],
    perMessageDeflate: false,
    httpCompression: false,
    serveClient: false,
    pingInterval: heartbeatIntervalMs,
    pingTimeout: Math.min(20_000, heartbeatIntervalMs),
    maxHttpBufferSize: 64 * 1024,
  });
  const key = new TextEncoder().encode(BENCH_AUTH.secret);
  const streams = new Map<string, { epoch: string; offset: number }>();
  const nextEpoch = epochMaker();
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string') return next(new Error('unauthorized'));
    jwtVerify(token, key, { algorithms: ['HS256'], issuer: BENCH_AUTH.issuer, audience: BENCH_AUTH.audience }).then(
      ({ payload }) => {
        (socket.data as { userId?: string }).userId = String(payload.sub);
        next();
      },
      () => next(new Error('unauthorized')),
    );
  });
  io.on('connection', (socket) => {
    const userId = (socket.data as { userId: string }).userId;
    void socket.join(userId);
    if (!streams.has(userId)) streams.set(userId, { epoch: nextEpoch(), offset: 0 });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`,
    connections: () => io.of('/').sockets.size,
    async send({ prefix, users, rounds, tag, stamps }) {
      const ids = Array.from({ length: users }, (_, i) => userIdOf(prefix, i));
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < FIVE_EVENT_RUN.length; k++) {
          for (let i = 0; i < ids.length; i++) {
            const userId = ids[i]!;
            if (stamps !== undefined) stamps[(r * ids.length + i) * FIVE_EVENT_RUN.length + k] = epochNow();
            const stream = streams.get(userId);
            if (stream) io.to(userId).emit('event', envelopeObject(FIVE_EVENT_RUN[k]!, k + 1, userId, runIdOf(`${tag}r${r}`, userId), ++stream.offset, stream.epoch));
          }
        }
        await tick();
      }
    },
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

let side: Side | undefined;
const need = (): Side => {
  if (!side) throw new Error('call "listen" first');
  return side;
};

async function memory(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('start the server with --expose-gc');
  // Several collections with pauses between: lets finalizers and deferred frees settle.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 100));
  }
  return process.memoryUsage();
}

serveCommands({
  async listen(args) {
    const hb = Number(args.heartbeatIntervalMs ?? 30_000);
    side = kind === 'canonical' ? await canonicalSide(hb) : kind === 'raw' ? await rawSide(hb) : await socketIoSide(hb);
    return { url: side.url, pid: process.pid };
  },
  connections: () => need().connections(),
  memory,
  async send(args) {
    const frames = Number(args.users) * Number(args.rounds) * FIVE_EVENT_RUN.length;
    // args.stamp: record each event's send time (latency runs), returned as `stamps`.
    const stamps = args.stamp === true ? new Float64Array(frames) : undefined;
    const plan = { ...(args as unknown as SendPlan), stamps };
    const startAt = epochNow();
    const faults = process.resourceUsage().minorPageFault;
    const cpu = process.cpuUsage();
    await need().send(plan);
    const used = process.cpuUsage(cpu);
    const minorFaults = process.resourceUsage().minorPageFault - faults;
    const endAt = epochNow();
    // CPU time of the send loop (this process, user + system): a load-robust cost per event. Minor page
    // faults over the same loop: first touches of fresh memory (canonical's growing replay window).
    return { startAt, endAt, frames, cpuMicros: used.user + used.system, userMicros: used.user, systemMicros: used.system, minorFaults, ...(stamps ? { stamps: Array.from(stamps) } : {}) };
  },
  gcWatch,
  gcTake,
  async close() {
    await side?.close();
    side = undefined;
    return true;
  },
});
