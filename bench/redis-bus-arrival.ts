/**
 * How publishes arrive at the Redis bus's append call (issue 21 rbatch): per script call, how many
 * events, how many users, how many events of one user (what one stream entry per user and call
 * could carry) and how many per event channel (one pub/sub message each). Not a suite of the bench:
 * `node --import tsx bench/redis-bus-arrival.ts` prints one line per workload shape.
 *
 * Shapes (two hubs, one process, each on its own RedisBus to one local redis-server, as
 * bench/redis-bus.ts):
 * - bench: 200 users × 1 run × 50 events, each emit awaited (the agent pattern: `await m.emit`);
 * - multi-run: 20 users × 10 concurrent runs (threads) × 50 awaited events — a user with several
 *   runs at once, the only way awaited emits give a call several events of one user;
 * - bursts: 200 users × 1 run, events emitted 5 at a time without awaiting each (then awaited
 *   together) — what a producer that does not await would send.
 *
 * Counted by wrapping the publishing bus's batch sender (its items before they are encoded), so
 * nothing on the measured path changes. Also printed: CPU µs per event (this process with both
 * hubs, and redis-server), the same shape on the in-memory bus, and the throughput ratio.
 * `node --import tsx bench/redis-bus-arrival.ts [shape-name-prefix [rounds]]` (a warm-up run of
 * each bus first, not printed).
 */
import { ConnectionHub, createUserExecutionContext, createWebSocketManager } from '../canonical/index.js';
import type { SocketLike } from '../canonical/index.js';
import { Redis } from 'ioredis';
import { RedisBus } from '../canonical/bus/redis.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { redisCpuSeconds } from './redis-cpu.js';

interface Shape {
  name: string;
  users: number;
  runsPerUser: number;
  events: number;
  /** Events emitted before awaiting them (1 = each awaited). */
  burst: number;
}

const SHAPES: Shape[] = [
  { name: 'bench (200 users × 1 run, awaited)', users: 200, runsPerUser: 1, events: 50, burst: 1 },
  { name: 'multi-run (20 users × 10 runs, awaited)', users: 20, runsPerUser: 10, events: 50, burst: 1 },
  { name: 'bursts (200 users × 1 run, 5 un-awaited at a time)', users: 200, runsPerUser: 1, events: 50, burst: 5 },
];

interface CallStats {
  /** CPU µs per event: this process (both hubs) and redis-server; the bus's packed / light items. */
  nodeUs: number;
  redisUs: number;
  rate: number;
  packed: number;
  light: number;
  refusals: number;
  calls: number;
  events: number;
  /** Events whose user already had an event earlier in the same call. */
  sameUser: number;
  maxPerUser: number;
  /** Sum over calls of the distinct users / shards in each. */
  users: number;
  shards: number;
}


/** Every run of the shape emitted on `hub` (each run's events in order, runs concurrently). */
async function emitShape(hub: ConnectionHub, shape: Shape, tag: string): Promise<void> {
  await Promise.all(
    Array.from({ length: shape.users * shape.runsPerUser }, async (_, i) => {
      const u = i % shape.users;
      const m = createWebSocketManager(createUserExecutionContext({ userId: `user-${u}`, threadId: `th-${i}`, runId: `${tag}-run-${i}` }), { hub });
      const types: [string, object][] = [['agent_started', { agentName: 'probe' }]];
      for (let k = 0; k < shape.events - 2; k++) types.push(['agent_thinking', { reasoning: `step ${k}` }]);
      types.push(['agent_completed', { status: 'success', finalResponse: 'ok' }]);
      for (let k = 0; k < types.length; k += shape.burst) {
        const slice = types.slice(k, k + shape.burst);
        await Promise.all(slice.map(([type, data]) => m.emit(type as 'agent_thinking', data as { reasoning: string })));
      }
    }),
  );
}

/** The same shape on the in-memory bus (sockets and emitter on one hub): events/s and CPU µs per event. */
async function memoryShape(shape: Shape, t: number): Promise<{ rate: number; nodeUs: number }> {
  const total = shape.users * shape.runsPerUser * shape.events;
  const hub = new ConnectionHub();
  try {
    let received = 0;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    for (let u = 0; u < shape.users; u++) {
      const socket: SocketLike = { readyState: 1, send() { if (++received === total) resolve(); } };
      hub.addConnection({ connectionId: `c${u}`, userId: `user-${u}`, socket, connectedAt: new Date() });
    }
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    await emitShape(hub, shape, `m${t}`);
    await done;
    const cpu = process.cpuUsage(cpu0);
    return { rate: total / ((performance.now() - started) / 1000), nodeUs: (cpu.user + cpu.system) / total };
  } finally {
    await hub.close();
  }
}

type BatchItem = { kind: string; userId?: string; ev?: { userId: string; run: { shard: string } }; run?: { shard: string } };

async function runShape(url: string, info: Redis, shape: Shape, t: number): Promise<CallStats> {
  const total = shape.users * shape.runsPerUser * shape.events;
  const keyPrefix = `arrival${t}:`;
  const busA = new RedisBus({ url, keyPrefix });
  const busB = new RedisBus({ url, keyPrefix });
  const stats: CallStats = { rate: 0, nodeUs: 0, redisUs: 0, packed: 0, light: 0, refusals: 0, calls: 0, events: 0, sameUser: 0, maxPerUser: 0, users: 0, shards: 0 };
  const b = busB as unknown as { sendBatch(items: readonly BatchItem[]): Promise<unknown> };
  const send = b.sendBatch.bind(busB);
  b.sendBatch = (items) => {
    const perUser = new Map<string, number>();
    const shards = new Set<string>();
    for (const it of items) {
      if (it.kind === 'm') continue;
      const ev = it.kind === 'r' ? it.ev! : (it as { userId: string; run: { shard: string } });
      const n = (perUser.get(ev.userId) ?? 0) + 1;
      perUser.set(ev.userId, n);
      if (n > 1) stats.sameUser++;
      stats.maxPerUser = Math.max(stats.maxPerUser, n);
      shards.add(ev.run.shard);
      stats.events++;
    }
    stats.calls++;
    stats.users += perUser.size;
    stats.shards += shards.size;
    return send(items);
  };
  const hubA = new ConnectionHub({ bus: busA });
  const hubB = new ConnectionHub({ bus: busB });
  try {
    await Promise.all([busA.ready(), busB.ready()]);
    let received = 0;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    for (let u = 0; u < shape.users; u++) {
      const socket: SocketLike = {
        readyState: 1,
        send() {
          if (++received === total) resolve();
        },
      };
      hubA.addConnection({ connectionId: `c${u}`, userId: `user-${u}`, socket, connectedAt: new Date() });
    }
    await new Promise((r) => setTimeout(r, 200));
    const redis0 = await redisCpuSeconds(info);
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    await emitShape(hubB, shape, `a${t}`);
    await done;
    const cpu = process.cpuUsage(cpu0);
    stats.nodeUs = (cpu.user + cpu.system) / total;
    stats.rate = total / ((performance.now() - started) / 1000);
    stats.redisUs = (((await redisCpuSeconds(info)) - redis0) * 1e6) / total;
    const st = busB.stats() as { packedItems?: number; lightItems: number; leaseRefusals: number };
    stats.packed = st.packedItems ?? 0;
    stats.light = st.lightItems;
    stats.refusals = st.leaseRefusals;
    return stats;
  } finally {
    await hubA.close();
    await hubB.close();
    await Promise.all([busA.close(), busB.close()]);
  }
}


const only = process.argv[2];
const rounds = Number(process.argv[3] ?? 1);
const redis = await startRedisServer();
const info = new Redis(redis.url);
try {
  let t = 0;
  for (const shape of SHAPES) {
    if (only && !shape.name.startsWith(only)) continue;
    // A warm-up run first (JIT, connections), not printed.
    await runShape(redis.url, info, shape, t++);
    await memoryShape(shape, t);
    for (let r = 0; r < rounds; r++) {
      const mem = await memoryShape(shape, t);
      const s = await runShape(redis.url, info, shape, t++);
      const per = (x: number) => (x / s.calls).toFixed(1);
      console.log(
        `${shape.name}: ${s.events} events in ${s.calls} calls — per call ${per(s.events)} events, ${per(s.users)} users, ` +
          `${per(s.shards)} event channels (${(s.events / s.shards).toFixed(1)} events per channel message); ` +
          `events sharing a call with an earlier event of their user ${s.sameUser} (${((100 * s.sameUser) / s.events).toFixed(1)}%), at most ${s.maxPerUser} of one user in a call; ` +
          `light ${s.light}, packed ${s.packed}, lease refusals ${s.refusals}; CPU per event: Node ${s.nodeUs.toFixed(1)} µs (both hubs), redis-server ${s.redisUs.toFixed(1)} µs; ` +
          `in memory ${mem.nodeUs.toFixed(1)} µs; ${s.rate.toFixed(0)} vs ${mem.rate.toFixed(0)} events/s: ratio ${(s.rate / mem.rate).toFixed(3)}`,
      );
    }
  }
} finally {
  info.disconnect();
  await redis.dispose();
}
