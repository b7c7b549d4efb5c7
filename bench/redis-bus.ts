/**
 * Redis bus throughput: events/s delivered across two instances through Redis (sockets on hub A,
 * runs emitted on hub B, each hub on its own RedisBus with its own connections, one process)
 * against the in-memory bus (sockets and emitter on one hub). Both deliver to the same in-memory
 * sockets and count a frame only when it reached its socket; seq, append to the run's stream and
 * pub/sub are all real on the Redis side (a real redis-server on a loopback port).
 */
import { ConnectionHub, createUserExecutionContext, createWebSocketManager } from '../canonical/index.js';
import type { SocketLike } from '../canonical/index.js';
import { RedisBus } from '../canonical/bus/redis.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { measure, type BenchSuite } from './harness.js';

const USERS = 200;
const THINKING = 48; // + agent_started + agent_completed = 50 events per run
const EVENTS = USERS * (THINKING + 2);
const TRIALS = 3;

/** Why the 0.3x target is missed today (printed only on a miss). */
const REDIS_GAP =
  'why (redis INFO cpu and process.cpuUsage over this workload, 2026-12-01, load average 12-15 on the 2 cores): the publishes ' +
  'of a tick already go to Redis as one batched script call (200 events per call here), which cut the CPU per event from ' +
  '~50 µs (redis-server) + ~43 µs (Node, both hubs) to ~36 + ~21 µs; the in-memory path costs 4-9 µs per event. Each run ' +
  'has one event in flight (its agent awaits the seq and offset Redis assigns), so every event still waits for one round ' +
  'trip Node → Redis → Node, 50 rounds per trial, and on a loaded machine each hop also waits for a CPU. 0.3x needs ≤ ~15-30 ' +
  'µs per event in total: what is left is mostly per event inside the script (read the run, XADD, ZADD, HSET, PUBLISH) and ' +
  'the pub/sub fan-out, or an emit that does not wait for Redis (a locally assigned seq and offset) — not built';

interface Sink {
  received: number;
  done: Promise<void>;
}

function attachSockets(hub: ConnectionHub, tag: string): Sink {
  let resolve!: () => void;
  const sink: Sink = { received: 0, done: new Promise<void>((r) => (resolve = r)) };
  for (let u = 0; u < USERS; u++) {
    const socket: SocketLike = {
      readyState: 1,
      send() {
        if (++sink.received === EVENTS) resolve();
      },
    };
    hub.addConnection({ connectionId: `${tag}-c${u}`, userId: `user-${u}`, socket, connectedAt: new Date() });
  }
  return sink;
}

/** Emits every run (each run's events in order, runs concurrently) and resolves when all reached their sockets. */
async function emitAll(emitter: ConnectionHub, sink: Sink, tag: string): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      const m = createWebSocketManager(createUserExecutionContext({ userId: `user-${u}`, threadId: `th-${u}`, runId: `${tag}-run-${u}` }), { hub: emitter });
      await m.emit('agent_started', { agentName: 'bench' });
      for (let i = 0; i < THINKING; i++) await m.emit('agent_thinking', { reasoning: `step ${i}` });
      await m.emit('agent_completed', { status: 'success', finalResponse: 'ok' });
    }),
  );
  await sink.done;
  return EVENTS / ((performance.now() - started) / 1000);
}

async function memoryTrial(t: number): Promise<number> {
  const hub = new ConnectionHub();
  try {
    return await emitAll(hub, attachSockets(hub, `m${t}`), `m${t}`);
  } finally {
    await hub.close();
  }
}

async function redisTrial(url: string, t: number): Promise<number> {
  const keyPrefix = `bench${t}:`;
  const busA = new RedisBus({ url, keyPrefix });
  const busB = new RedisBus({ url, keyPrefix });
  const hubA = new ConnectionHub({ bus: busA });
  const hubB = new ConnectionHub({ bus: busB });
  try {
    await Promise.all([busA.ready(), busB.ready()]);
    const sink = attachSockets(hubA, `r${t}`);
    await new Promise((r) => setTimeout(r, 200)); // let the 200 SUBSCRIBEs take effect before timing
    return await emitAll(hubB, sink, `r${t}`);
  } finally {
    await hubA.close();
    await hubB.close();
    await Promise.all([busA.close(), busB.close()]);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const redisBusSuite: BenchSuite = {
  name: 'redis-bus',
  async run(ctx) {
    const redis = await startRedisServer();
    try {
      const memory: number[] = [];
      const viaRedis: number[] = [];
      for (let t = 0; t < TRIALS; t++) {
        memory.push(await memoryTrial(t));
        viaRedis.push(await redisTrial(redis.url, t));
        ctx.log(`trial ${t + 1}: memory ${memory[t]!.toFixed(0)} ev/s, redis ${viaRedis[t]!.toFixed(0)} ev/s`);
      }
      const m = [
        measure(
          `events/s across two instances through Redis vs in-memory bus in one process (${USERS} users × ${THINKING + 2} events)`,
          median(viaRedis),
          median(memory),
          'events/s',
          { min: 0.3, text: '≥ 0.3x of in-memory' },
          `ratio = Redis-bus throughput as a fraction of the in-memory bus (median of ${TRIALS}, trials interleaved); per trial: memory ${memory.map((x) => x.toFixed(0)).join(', ')}, ` +
            `redis ${viaRedis.map((x) => x.toFixed(0)).join(', ')} events/s`,
        ),
      ];
      if (!m[0]!.pass) m[0]!.notes += `; ${REDIS_GAP}`;
      return m;
    } finally {
      await redis.dispose();
    }
  },
};
