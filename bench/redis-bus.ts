/**
 * Redis bus throughput: events/s delivered across two instances through Redis (sockets on hub A,
 * runs emitted on hub B, each hub on its own RedisBus with its own connections, one process)
 * against the in-memory bus (sockets and emitter on one hub). Both deliver to the same in-memory
 * sockets and count a frame only when it reached its socket; seq, append to the run's stream and
 * pub/sub are all real on the Redis side (a real redis-server on a loopback port).
 */
import * as canonical from '../canonical/index.js';
import { ConnectionHub } from '../canonical/index.js';
import { attachSockets, emitRuns, EVENTS, THINKING, USERS } from './redis-bus-workload.js';
import { Redis } from 'ioredis';
import { RedisBus } from '../canonical/bus/redis.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { redisCpuSeconds } from './redis-cpu.js';
import { measure, type BenchSuite } from './harness.js';
import { pinApart, type Pinning } from './cpu-pinning.js';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';

// 7, not 3: the in-memory bus keeps warming over the first trials (2026-12-04: 191k, 270k, 553k events/s in one run), so a median of 3 swung the row across its target from run to run
const TRIALS = Number(process.env['BENCH_REDIS_TRIALS'] ?? 7);
// 4, not 1: with the buses built once, 15-trial runs (2026-12-04, pinned, chrt -r 1) still warmed over the first 4 trials after one
// warm-up (in memory 176k, 303k, 338k, 425k, then 497k-553k events/s; through Redis 42k, then 117k-144k), so one warm-up left the
// in-memory median on a cold trial and the ratio ~0.03 above the steady one.
// 6, not 4 (issue 21 redis11, the same for both buses): with 4, each bus's first counted trials were still warm-up events of V8 —
// round 5's in-memory trial at 0.51-0.77 of its run's median (medians per position over 4 batches, 42 runs: appendEvent deoptimized at
// its first chunk switch after TurboFan compiled it) and round 6's Redis trial at 0.56-0.97 (sendBatch deoptimized on 'wrong map' and compiled again by
// TurboFan, 65-70 ms of compile CPU each time on the bench's pinned CPU: Node 16.7 against 7.4 µs per event in that trial); with 6
// (6 alternated runs each, 10 trials, load 9-11) both positions read 0.97-0.98 of the median (canonical/bus/README.md "What issue
// 21 redis11 changed").
const WARMUPS = Number(process.env['BENCH_REDIS_WARMUPS'] ?? 6);

/**
 * Why the 0.3x target is missed today (printed only on a miss): the standing reason, briefly. Every route tried, with
 * its figures, is in canonical/bus/README.md (from "What an event costs Redis" to "What issue 21 redis23 measured and
 * changed"), not repeated here.
 */
const REDIS_GAP =
  'why (canonical/bus/README.md, "What issue 21 redis12 measured", "… redis14 measured", "… redis15 …", "… redis16 …", "… redis17 …", "… redis18 …", "… redis20 …" and "… redis23 …", 2026-12-05): an event costs ' +
  'redis-server ~6 µs of CPU (the append script ~4.7 µs: XADD ~1.4, the writer check ~0.25, ~2.9 Redis 7.0\'s scripting ' +
  'around its redis.call()s and the arguments, ~8% fewer instructions since "… redis24 …": the usual lean item written out in the script\'s item loop; ~10 µs when other work shares its CPU; since redis16 ~0.2-0.6 µs less: compact lean entries; since redis18 ~9% fewer instructions: the lean items\' writer check one SMISMEMBER per call instead of an HGET per event) and Node ~5.8 µs for both hubs (the ' +
  'subscriber\'s RESP decoding ~0.1 µs of it since redis15: @redis/client\'s decoder, ~0.3 µs less; since redis20 ~0.3-0.4 µs less: ' +
  'no Map delete+set per publish for the runs\' recency, no closures per emit in the hub, no Maps per call in the outbox\'s split; since redis23 ~0.1 µs less: ' +
  'a call written into its connection\'s reused memory, the subscriber\'s ids found again by their bytes), against ~2 µs in memory; the two overlap (two calls in flight) and each is busy ~85% of the ' +
  'wall, so 0.3x needs both cut ~7-10% at once; and the median of 7 falls on a disturbed trial (a major GC of this process in ' +
  'a Redis trial, per-call functions compiled by TurboFan in the 4th counted trial, other load on the VM\'s CPUs: single runs ' +
  'swing 0.16-0.37). The opt-in pipelined mode (no script per event, ratio above) costs Node ~0.45 µs more per event than the ' +
  'script mode since redis17 (~1 µs before: its replies one queue entry through @redis/client\'s decoder, one string per frame; the ' +
  'frame\'s bytes still travel twice) and is bound by Node; not the default (its fence, an epoch-named stream key, is not built). Tried without moving the median, with ' +
  'figures: the routes in that README (packs, lean appends, the write lease, two calls in flight; compact lean entries, kept since redis16)';

/** Emits every run (each run's events in order, runs concurrently) and resolves when all reached their sockets. */
async function emitAll(emitter: ConnectionHub, done: Promise<void>, tag: string): Promise<number> {
  const started = performance.now();
  await emitRuns(canonical, emitter, `${tag}-run-`);
  await done;
  return EVENTS / ((performance.now() - started) / 1000);
}

/** A trial's figures: events/s, and CPU µs per event of this process (both hubs) and of redis-server. */
interface Trial {
  rate: number;
  nodeUs: number;
  redisUs: number;
  /** Events the publishing bus sent as light appends (its own seq and offset, under the user's write lease). */
  light?: number;
  /** Of those, events sent in a pack with others of their user (one stream entry per user and call). */
  packed?: number;
  /** BENCH_REDIS_TRACE=1: redis-server's memory after the window, and the window (performance.now()) whose GC pauses the line gives. */
  trace?: string;
  window?: [number, number];
}

/**
 * BENCH_REDIS_TRACE=1 (issue 21 redis11: why trials warm and dip): each trial's line also gives, per bus,
 * this process's GC pauses that started in the window (major count/ms, minor ms: PerformanceObserver
 * 'gc', counted when the line is printed) and, for the Redis buses, redis-server's used_memory after it.
 * Off by default: the row measures nothing else either way.
 */
const TRACE = process.env['BENCH_REDIS_TRACE'] === '1';
const gcEntries: { at: number; ms: number; major: boolean }[] = [];
const gcObserver = TRACE
  ? new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        gcEntries.push({ at: e.startTime, ms: e.duration, major: (e as { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR });
      }
    })
  : undefined;

/** A trial's GC pauses (BENCH_REDIS_TRACE=1), from the entries delivered so far. */
function gcIn(x: Trial): string {
  if (x.window === undefined) return '';
  const [t0, t1] = x.window;
  const inside = gcEntries.filter((e) => e.at >= t0 && e.at <= t1);
  const major = inside.filter((e) => e.major);
  const sum = (es: typeof inside) => es.reduce((n, e) => n + e.ms, 0).toFixed(1);
  const cpu = `; CPU µs/event: node ${x.nodeUs.toFixed(1)}${x.trace === undefined ? '' : `, redis-server ${x.redisUs.toFixed(1)}`}`;
  return ` [gc major ${major.length}/${sum(major)} ms, minor ${inside.length - major.length}/${sum(inside.filter((e) => !e.major))} ms${cpu}${x.trace ?? ''}]`;
}

async function timed(run: () => Promise<number>, info?: Redis): Promise<Trial> {
  const redis0 = info ? await redisCpuSeconds(info) : 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const rate = await run();
  const cpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  const redisUs = info ? ((await redisCpuSeconds(info)) - redis0) * 1e6 / EVENTS : 0;
  let trace: string | undefined;
  if (TRACE && info) trace = `; redis used_memory ${(Number(/used_memory:(\d+)/.exec(await info.info('memory'))?.[1]) / 2 ** 20).toFixed(1)} MiB`;
  return { rate, nodeUs: (cpu.user + cpu.system) / EVENTS, redisUs, trace, window: TRACE ? [t0, t1] : undefined };
}

/**
 * A bus set up once, as a running server's: its hubs, connections and the 200 sockets' subscriptions are
 * built before any trial, so a trial times only its runs (new run ids each trial: every run's first event and
 * agent_completed included) and not the construction of hubs and subscriptions nor their GC.
 */
interface Bench {
  trial(t: number): Promise<Trial>;
  close(): Promise<void>;
}

/** Lets the setup's garbage and timers settle before a timed window, the same pause for both buses. */
const settle = () => new Promise((r) => setTimeout(r, 50));

function memoryBench(): Bench {
  const hub = new ConnectionHub();
  const sockets = attachSockets(hub, 'm');
  return {
    async trial(t) {
      await settle();
      const done = sockets.next();
      return timed(() => emitAll(hub, done, `m${t}`));
    },
    close: () => hub.close(),
  };
}

async function redisBench(url: string, info: Redis, leanAppends: 'script' | 'pipelined' = 'script'): Promise<Bench> {
  const keyPrefix = `bench${leanAppends === 'script' ? '' : 'p'}:`;
  const busA = new RedisBus({ url, keyPrefix, leanAppends });
  const busB = new RedisBus({ url, keyPrefix, leanAppends });
  const hubA = new ConnectionHub({ bus: busA });
  const hubB = new ConnectionHub({ bus: busB });
  await Promise.all([busA.ready(), busB.ready()]);
  const sockets = attachSockets(hubA, 'r');
  await new Promise((r) => setTimeout(r, 200)); // let the 200 SUBSCRIBEs take effect before timing
  return {
    async trial(t) {
      await settle();
      const before = busB.stats();
      const done = sockets.next();
      const trial = await timed(() => emitAll(hubB, done, `r${t}`), info);
      const after = busB.stats();
      return { ...trial, light: after.lightItems - before.lightItems, packed: after.packedItems - before.packedItems };
    },
    async close() {
      await hubA.close();
      await hubB.close();
      await Promise.all([busA.close(), busB.close()]);
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const redisBusSuite: BenchSuite = {
  name: 'redis-bus',
  async run(ctx) {
    const redis = await startRedisServer();
    const info = new Redis(redis.url, { lazyConnect: true });
    let pinning: Pinning | undefined;
    const benches: Bench[] = [];
    try {
      await info.connect();
      const redisPid = Number(/process_id:(\d+)/.exec(await info.info('server'))?.[1]);
      // For the in-memory trials too, so both buses run under the same placement.
      // BENCH_REDIS_PIN=0 leaves placement to the OS (to compare; the row's notes say so).
      gcObserver?.observe({ entryTypes: ['gc'] });
      pinning = process.env['BENCH_REDIS_PIN'] === '0' ? { note: 'not pinned (BENCH_REDIS_PIN=0)', restore() {} } : pinApart(redisPid, 'redis-server');
      ctx.log(`cpu placement: ${pinning.note}`);
      const memoryBus = memoryBench();
      const redisBus = await redisBench(redis.url, info);
      // The opt-in leanAppends 'pipelined' (canonical/bus/README.md "Pipelined lean appends"), interleaved
      // with the others: reported in the notes only (the row measures the default).
      const pipelinedBus = await redisBench(redis.url, info, 'pipelined');
      benches.push(memoryBus, redisBus, pipelinedBus);
      const memoryTrials: Trial[] = [];
      const redisTrials: Trial[] = [];
      const pipelinedTrials: Trial[] = [];
      // The first WARMUPS trials of each bus are a warm-up, not counted (JIT, connections), as in the canonical suite: a server's
      // steady state is what both rows compare, and the Redis path's Node code (command encoding, replies) is
      // the colder of the two.
      for (let t = 0; t < WARMUPS + TRIALS; t++) {
        const memoryRun = await memoryBus.trial(t);
        const redisRun = await redisBus.trial(t);
        const pipelinedRun = await pipelinedBus.trial(t);
        if (TRACE) await new Promise((r) => setTimeout(r, 10)); // the trials' GC entries delivered
        const tr = gcIn;
        ctx.log(`${t < WARMUPS ? `warm-up ${t + 1}` : `trial ${t - WARMUPS + 1}`}: memory ${memoryRun.rate.toFixed(0)} ev/s${tr(memoryRun)}, redis ${redisRun.rate.toFixed(0)} ev/s${tr(redisRun)}, redis (pipelined lean) ${pipelinedRun.rate.toFixed(0)} ev/s${tr(pipelinedRun)}`);
        if (t < WARMUPS) continue;
        memoryTrials.push(memoryRun);
        redisTrials.push(redisRun);
        pipelinedTrials.push(pipelinedRun);
      }
      const memory = memoryTrials.map((x) => x.rate);
      const viaRedis = redisTrials.map((x) => x.rate);
      const us = (xs: Trial[], key: 'nodeUs' | 'redisUs') => median(xs.map((x) => x[key])).toFixed(1);
      const piped = pipelinedTrials.map((x) => x.rate);
      const m = [
        measure(
          `events/s across two instances through Redis vs in-memory bus in one process (${USERS} users × ${THINKING + 2} events)`,
          median(viaRedis),
          median(memory),
          'events/s',
          { min: 0.3, text: '≥ 0.3x of in-memory' },
          `ratio = Redis-bus throughput as a fraction of the in-memory bus (median of ${TRIALS} after ${WARMUPS} warm-up trials of each, trials interleaved; ` +
            `each bus's hubs, buses and 200 subscriptions built once before its trials, each trial 200 new runs; CPU placement for all trials: ${pinning.note}); per trial: memory ${memory.map((x) => x.toFixed(0)).join(', ')}, ` +
            `redis ${viaRedis.map((x) => x.toFixed(0)).join(', ')} events/s; CPU per event (medians): in-memory ${us(memoryTrials, 'nodeUs')} µs, ` +
            `Redis bus ${us(redisTrials, 'nodeUs')} µs in Node (both hubs) + ${us(redisTrials, 'redisUs')} µs in redis-server; ` +
            `light appends (seq and offset assigned by the publisher under the user's write lease) ${median(redisTrials.map((x) => x.light ?? 0))} of ${EVENTS} events, ` +
            `of them in packs (several events of one user in one call) ${median(redisTrials.map((x) => x.packed ?? 0))}; ` +
            `opt-in leanAppends 'pipelined' (plain XADD + PUBLISH per call, no script per event; needs a Redis that never loses keys while instances run): ` +
            `ratio ${(median(piped) / median(memory)).toFixed(3)}, ${piped.map((x) => x.toFixed(0)).join(', ')} events/s, ` +
            `${us(pipelinedTrials, 'nodeUs')} µs in Node + ${us(pipelinedTrials, 'redisUs')} µs in redis-server`,
        ),
      ];
      if (!m[0]!.pass) {
        const row = m[0]!;
        row.notes += `; missed by ${(0.3 - row.ratio).toFixed(3)}x: 0.3x of this run's in-memory median is ${(0.3 * row.baseline).toFixed(0)} events/s ` +
          `(${(1e6 / (0.3 * row.baseline)).toFixed(1)} µs of wall per event) against ${row.figure.toFixed(0)} (${(1e6 / row.figure).toFixed(1)} µs); ${REDIS_GAP}`;
      }
      return m;
    } finally {
      gcObserver?.disconnect();
      for (const bench of benches) await bench.close();
      pinning?.restore();
      info.disconnect();
      await redis.dispose();
    }
  },
};
