// The Redis bus against a real redis-server: seq, delivery across instances, replay, trimming,
// TTL, ownership, idempotent appends, duplicate suppression, and a Redis restart mid-run.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionHub, createUserExecutionContext, createWebSocketManager } from '../../canonical/index.js';
import { frameString } from '../../canonical/index.js';
import type { BusDelivery, EventEnvelope, SocketLike, StoredFrame } from '../../canonical/index.js';
import { MemoryBus } from '../../canonical/bus/memory.js';
import { BusUnavailableError } from '../../canonical/bus/redis-errors.js';
import { APPEND_BATCH_LUA } from '../../canonical/bus/redis-scripts.js';
import { commandQueueOf } from '../../canonical/bus/redis-script-call.js';
import { eventShard, redisKeys } from '../../canonical/bus/redis-keys.js';
import { RedisBus, createBusFromEnv } from '../../canonical/bus/redis.js';
import type { RedisBusOptions } from '../../canonical/bus/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';
import type { RedisServerHandle } from '../helpers/redis-server.js';
import { recordCommands } from '../helpers/redis-monitor.js';

let redis: RedisServerHandle;
let raw: Redis;
const buses: RedisBus[] = [];
let prefixCounter = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  raw = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: null });
  raw.on('error', () => {});
  await raw.connect();
});

afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close({ drainTimeoutMs: 500 }).catch(() => undefined)));
});

afterAll(async () => {
  raw?.disconnect();
  await redis?.dispose();
});

/** Buses of one test share a fresh key prefix, so tests never see each other's keys. */
function pair(options: RedisBusOptions = {}): [RedisBus, RedisBus] {
  const keyPrefix = `t${++prefixCounter}:`;
  return [makeBus({ keyPrefix, ...options }), makeBus({ keyPrefix, ...options })];
}

/**
 * SSOT_TEST_LEAN_APPENDS=pipelined runs every test of this file with lean items as plain pipelined
 * XADDs (leanAppends 'pipelined'); the tests of that mode below set it themselves.
 */
const defaultLeanAppends = process.env.SSOT_TEST_LEAN_APPENDS === 'pipelined' ? 'pipelined' : undefined;

function makeBus(options: RedisBusOptions): RedisBus {
  const bus = new RedisBus({ url: redis.url, reconnectMaxMs: 200, ...(defaultLeanAppends ? { leanAppends: defaultLeanAppends } : {}), ...options });
  buses.push(bus);
  return bus;
}

function recorder() {
  const deliveries: BusDelivery[] = [];
  const events = () => deliveries.flatMap((d) => (d.kind === 'event' ? [JSON.parse(frameString(d.text)) as EventEnvelope] : []));
  return {
    deliveries,
    events,
    listener: (d: BusDelivery) => {
      // A delivery is valid during the call only: keep a copy of the event's bytes.
      deliveries.push(d.kind === 'event' ? { ...d, text: Buffer.from(d.text) } : d);
      return 1;
    },
    async waitForEvents(n: number, timeoutMs = 10_000): Promise<EventEnvelope[]> {
      const deadline = Date.now() + timeoutMs;
      while (events().length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${events().length}`);
        await sleep(10);
      }
      return events();
    },
  };
}

const parse = (frames: readonly StoredFrame[]) => frames.map((f) => JSON.parse(frameString(f.text)) as EventEnvelope & { reasoning?: string });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An XRANGE entry's frame: its 'j', or the end of a compact lean entry's 'm' (issue 21 redis12: header, ids, frame). */
const frameOf = (f: string[]): string => {
  const j = f.indexOf('j');
  if (j >= 0 && j % 2 === 0) return f[j + 1]!;
  const m = f[f.indexOf('m') + 1]!;
  const bytes = Buffer.from(m);
  return bytes.subarray(bytes.length - Number(m.split('|')[5])).toString();
};

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

const thinking = (userId: string, runId: string, i: number) => ({
  userId,
  threadId: `th-${userId}`,
  runId,
  type: 'agent_thinking' as const,
  data: { reasoning: `step ${i}` },
});

describe('RedisBus: sequencing and delivery', () => {
  it('assigns a gapless seq per run and a gapless offset per user under concurrent publishes, in call order per bus', async () => {
    const [a] = pair();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => a.publishEvent(thinking('u1', i % 2 ? 'run-c' : 'run-d', i))));
    expect(results.filter((e) => e.runId === 'run-c').map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(results.map((e) => e.offset)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(new Set(results.map((e) => e.epoch)).size).toBe(1);
    expect(results.map((e) => e.reasoning)).toEqual(Array.from({ length: 300 }, (_, i) => `step ${i}`));
  });

  it('keeps seq and offset unique and gapless when two instances append to one run at once (atomic script)', async () => {
    const [a, b] = pair();
    const all = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).publishEvent(thinking('u2', 'run-two-writers', i))),
    );
    expect(all.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(all.map((e) => e.offset).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('delivers an event published on one instance to the subscriber of that user on another, only to that user, as the same bytes', async () => {
    const [a, b] = pair();
    const alice = recorder();
    const bob = recorder();
    b.subscribe('alice', alice.listener);
    b.subscribe('bob', bob.listener);
    await b.position('alice'); // resolves once the subscription is live
    const published = [];
    for (let i = 0; i < 20; i++) published.push(await a.publishEvent(thinking('alice', 'run-a', i)));
    await a.publishToUser('alice', { type: 'note', text: 'hi' });
    const events = await alice.waitForEvents(20);
    expect(events).toEqual(published);
    expect(events.every((e) => e.userId === 'alice' && e.runId === 'run-a' && e.threadId === 'th-alice')).toBe(true);
    await waitUntil(() => alice.deliveries.some((d) => d.kind === 'message'));
    expect(bob.deliveries).toEqual([]);
  });

  // eventChannels 0: the user's own event channel (`u:<userId>`) is a non-ASCII argument of each light item too.
  for (const eventChannels of [16, 0]) it(`non-ASCII user and run ids and data (accents, “quotes”, astral chars) travel byte-exact: live, stored and replayed, amid ASCII events of the same call (eventChannels ${eventChannels})`, async () => {
    const [a, b] = pair({ eventChannels });
    const user = 'ünïcödé-用户-😀';
    const run = 'rün-“1”-🚀';
    const rec = recorder();
    b.subscribe(user, rec.listener);
    const start = await b.position(user);
    const texts = ['naïve — “quoted” 😀', 'ascii only', 'é'.repeat(300), '\u2028 line sep 𝄞'];
    // One tick: the non-ASCII items share the call with ASCII ones of another user.
    const pubs = texts.flatMap((text, i) => [
      a.publishEvent({ userId: user, threadId: 'th-ü', runId: run, type: 'agent_thinking', data: { reasoning: text } }),
      a.publishEvent(thinking('plain', 'run-plain', i)),
    ]);
    const all = await Promise.all(pubs);
    const mine = all.filter((e) => e.userId === user);
    expect(mine.map((e) => (e as { reasoning?: string }).reasoning)).toEqual(texts);
    expect(mine.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(await rec.waitForEvents(4)).toEqual(mine);
    const replay = await a.replayUser(user, start);
    expect(replay.status).toBe('ok');
    expect(parse(replay.frames)).toEqual(mine);
    const perRun = await a.replay(user, run, 0);
    expect(perRun.status === 'ok' && parse(perRun.frames)).toEqual(mine);
    // In lockstep the same go as light items, whose channel message header the bus builds (byte lengths).
    const light0 = a.stats().lightItems;
    const more: EventEnvelope[] = [];
    for (const text of texts) more.push(await a.publishEvent({ userId: user, threadId: 'th-ü', runId: run, type: 'agent_thinking', data: { reasoning: text } }));
    expect(a.stats().lightItems - light0).toBeGreaterThanOrEqual(3);
    expect(more.map((e) => e.seq)).toEqual([5, 6, 7, 8]);
    expect((await rec.waitForEvents(8)).slice(4)).toEqual(more);
    const again = await a.replayUser(user, start);
    expect(parse(again.frames)).toEqual([...mine, ...more]);
    // The run's replay reads those entries in the script (compact ones: the ids' byte lengths in 'm').
    const perRunMore = await b.replay(user, run, 4);
    expect(perRunMore.status === 'ok' && parse(perRunMore.frames)).toEqual(more);
  });

  for (const eventChannels of [1, 0]) {
    it(`eventChannels ${eventChannels}: one message per call and channel; each user's listener gets its own events in order, a message after them, an unsubscribed user nothing`, async () => {
      const [a, b] = pair({ eventChannels });
      const rec = new Map(['u-a', 'u-b', 'u-c'].map((u) => [u, recorder()] as const));
      const offs = new Map<string, () => void>();
      for (const [u, r] of rec) offs.set(u, b.subscribe(u, r.listener));
      await Promise.all([...rec.keys()].map((u) => b.position(u)));
      offs.get('u-c')!(); // u-c leaves: its events are published (another instance might hold it) but not delivered here
      await raw.config('RESETSTAT');
      // One tick: 3 users × 4 events in one call, then a message to u-a after its events.
      const pubs = [0, 1, 2, 3].flatMap((i) => ['u-a', 'u-b', 'u-c'].map((u) => a.publishEvent(thinking(u, `run-${u}`, i))));
      const note = a.publishToUser('u-a', { type: 'note', text: 'after' });
      const all = await Promise.all(pubs);
      expect(await note).toBe(1);
      const stats = await raw.info('commandstats');
      // One event message per channel touched (1 shared channel, or one per user), plus the note.
      expect(Number(/cmdstat_publish:calls=(\d+)/.exec(stats)?.[1])).toBe(eventChannels === 1 ? 2 : 4);
      for (const u of ['u-a', 'u-b']) {
        const events = await rec.get(u)!.waitForEvents(4);
        expect(events).toEqual(all.filter((e) => e.userId === u));
      }
      await waitUntil(() => rec.get('u-a')!.deliveries.some((d) => d.kind === 'message'));
      expect(rec.get('u-a')!.deliveries.map((d) => d.kind)).toEqual(['event', 'event', 'event', 'event', 'message']);
      expect(rec.get('u-c')!.deliveries).toEqual([]);
    });
  }

  it('unsubscribing stops delivery to that listener', async () => {
    const [a, b] = pair();
    const r1 = recorder();
    const r2 = recorder();
    const off = b.subscribe('carol', r1.listener);
    b.subscribe('carol', r2.listener);
    await b.position('carol');
    await a.publishEvent(thinking('carol', 'run-x', 0));
    await r1.waitForEvents(1);
    off();
    await a.publishEvent(thinking('carol', 'run-x', 1));
    await r2.waitForEvents(2);
    expect(r1.events()).toHaveLength(1);
  });

  it('position() is where delivery starts: nothing at or below it is delivered, everything after it is', async () => {
    const [a, b] = pair();
    for (let i = 0; i < 3; i++) await a.publishEvent(thinking('dora', 'run-early', i));
    const rec = recorder();
    b.subscribe('dora', rec.listener);
    const pos = await b.position('dora');
    expect(pos.offset).toBe(3);
    for (let i = 3; i < 6; i++) await a.publishEvent(thinking('dora', 'run-early', i));
    const got = await rec.waitForEvents(3);
    await sleep(50);
    expect(rec.events().map((e) => e.offset)).toEqual([4, 5, 6]);
    expect(got[0]!.epoch).toBe(pos.epoch);
  });
});

describe('RedisBus: replay', () => {
  it('replayUser from a position returns every later event of the user — runs born after it included — on any instance', async () => {
    const [a, b] = pair();
    await a.publishEvent(thinking('dave', 'run-open', 0));
    const rec = recorder();
    b.subscribe('dave', rec.listener);
    const away = await b.position('dave');
    await a.publishEvent(thinking('dave', 'run-open', 1));
    for (const run of ['born-1', 'born-2']) for (let i = 0; i < 3; i++) await a.publishEvent(thinking('dave', run, i));
    const r = await b.replayUser('dave', away);
    expect(r.status).toBe('ok');
    expect(parse(r.frames).map((e) => `${e.runId}#${e.seq}`)).toEqual(['run-open#2', 'born-1#1', 'born-1#2', 'born-1#3', 'born-2#1', 'born-2#2', 'born-2#3']);
    expect(r.position).toEqual({ epoch: away.epoch, offset: 8 });
    expect(await b.replayUser('dave', r.position)).toMatchObject({ status: 'ok', frames: [] });
  });

  it('per-run replay: after a seq on any instance; "unknown" for another user or a missing run — identical answers', async () => {
    const [a, b] = pair();
    for (let i = 0; i < 10; i++) await a.publishEvent(thinking('dave2', 'run-r', i));
    const r = await b.replay('dave2', 'run-r', 6);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.lastSeq).toBe(10);
    expect(parse(r.frames).map((e) => e.seq)).toEqual([7, 8, 9, 10]);
    expect(parse(r.frames)[0]).toMatchObject({ type: 'agent_thinking', reasoning: 'step 6', userId: 'dave2', runId: 'run-r' });
    expect(await b.replay('dave2', 'run-r', 10)).toEqual({ status: 'ok', frames: [], lastSeq: 10 });
    expect(await b.replay('mallory', 'run-r', 0)).toEqual({ status: 'unknown' });
    expect(await b.replay('dave2', 'no-such-run', 0)).toEqual({ status: 'unknown' });
    await expect(b.replay('mallory', 'run-r', 1e21)).rejects.toBeInstanceOf(RangeError);
  });

  it('the owner check comes before any read: a foreign run costs no stream read (the timing oracle is closed)', async () => {
    const [a] = pair();
    for (let i = 0; i < 200; i++) await a.publishEvent(thinking('olive', 'run-big', i));
    const xranges = async () => Number(/cmdstat_xrange:calls=(\d+)/.exec(await raw.info('commandstats'))?.[1] ?? 0);
    const before = await xranges();
    expect(await a.replay('mallory', 'run-big', 0)).toEqual({ status: 'unknown' });
    expect(await a.replay('mallory', 'no-such-run', 0)).toEqual({ status: 'unknown' });
    expect(await xranges()).toBe(before);
    await a.replay('olive', 'run-big', 0);
    expect(await xranges()).toBeGreaterThan(before); // the counter does see reads made inside the script
  });

  it('bounds each user in bytes: the oldest entries go; a resume from before them is a trimmed gap naming the runs', async () => {
    const [a] = pair({ maxBytesPerUser: 4000 });
    const rec = recorder();
    a.subscribe('erin', rec.listener);
    const start = await a.position('erin');
    for (let i = 0; i < 10; i++) await a.publishEvent({ ...thinking('erin', 'run-old', i), data: { reasoning: 'x'.repeat(300) } });
    for (let i = 0; i < 10; i++) await a.publishEvent({ ...thinking('erin', 'run-new', i), data: { reasoning: 'y'.repeat(300) } });
    expect(Number(await raw.hget(a.keys.sizes, 'erin'))).toBeLessThanOrEqual(4000);
    const r = await a.replayUser('erin', start);
    expect(r).toMatchObject({ status: 'gap', reason: 'trimmed', fromOffset: 1 });
    if (r.status !== 'gap') return;
    expect(r.availableFrom).toBeGreaterThan(10);
    expect(parse(r.frames).every((e) => e.runId === 'run-new')).toBe(true);
    expect(parse(r.frames).at(-1)!.offset).toBe(20);
    // Most recently active first: run-new lost its first events too, run-old all of them.
    expect(r.runs).toEqual([
      { runId: 'run-new', lastSeq: 10, availableFrom: parse(r.frames)[0]!.seq },
      { runId: 'run-old', lastSeq: 10, availableFrom: null },
    ]);
  });

  it('bounds by age; a completed run keeps its owner and seq (gap, not unknown), then its meta expires (unknown)', async () => {
    const [a] = pair({ maxAgeMs: 200, metaTtlMs: 1000 });
    const start = await a.position('gus');
    await a.publishEvent({ userId: 'gus', threadId: 'th-gus', runId: 'run-ttl', type: 'agent_started', data: { agentName: 'x' } });
    await a.publishEvent({ userId: 'gus', threadId: 'th-gus', runId: 'run-ttl', type: 'agent_completed', data: { status: 'ok', finalResponse: 'done' } });
    expect(await raw.pttl(a.keys.runMeta('run-ttl'))).toBeLessThanOrEqual(1000);
    await sleep(300);
    expect(await a.replay('gus', 'run-ttl', 0)).toEqual({ status: 'gap', frames: [], lastSeq: 2, fromSeq: 1, availableFrom: null });
    expect(await a.replayUser('gus', start)).toMatchObject({ status: 'gap', reason: 'trimmed', availableFrom: null, runs: [{ runId: 'run-ttl', lastSeq: 2, availableFrom: null }] });
    await waitUntil(async () => (await raw.exists(a.keys.runMeta('run-ttl'))) === 0);
    expect(await a.replay('gus', 'run-ttl', 0)).toEqual({ status: 'unknown' });
  });

  it('bounds the total in bytes: beyond it the least recently active users lose their streams first', async () => {
    const [a] = pair({ maxBytes: 6000 });
    const starts = [];
    for (const u of ['t1', 't2', 't3']) {
      starts.push(await a.position(u));
      for (let i = 0; i < 5; i++) await a.publishEvent({ ...thinking(u, `run-${u}`, i), data: { reasoning: 'z'.repeat(300) } });
    }
    expect(Number(await raw.get(a.keys.bytes))).toBeLessThanOrEqual(6000);
    expect((await a.replayUser('t1', starts[0]!)).status).toBe('gap'); // the stalest went
    expect(await a.replayUser('t3', starts[2]!)).toMatchObject({ status: 'ok' });
  });

  it('the total bound never drops the stream of a user appended to in the same call, light appends included', async () => {
    const [a] = pair({ maxBytes: 2000 });
    for (let i = 0; i < 10; i++) {
      const e = await a.publishEvent({ ...thinking('solo', 'run-solo', i), data: { reasoning: 'z'.repeat(300) } });
      const r = await a.replayUser('solo', { epoch: e.epoch, offset: e.offset - 1 });
      expect(r.status, `event ${i}`).toBe('ok');
      expect(parse(r.frames).map((f) => f.offset)).toEqual([e.offset]);
    }
    expect(a.stats().lightItems).toBe(9);
  });

  it('a position from another epoch is a reset with everything stored', async () => {
    const [a] = pair();
    for (let i = 0; i < 3; i++) await a.publishEvent(thinking('ivo', 'run-e', i));
    const r = await a.replayUser('ivo', { epoch: 'someotherepoch', offset: 2 });
    expect(r).toMatchObject({ status: 'gap', reason: 'reset', availableFrom: 1, fromOffset: 1 });
    expect(r.frames.map((f) => f.offset)).toEqual([1, 2, 3]);
  });

  it('reads while Redis is unreachable reject with BusUnavailableError("unreachable"), and waiting reads share one listener', async () => {
    const [a] = pair({ readyTimeoutMs: 300 });
    await a.publishEvent(thinking('hal', 'run-down', 0));
    const pos = await a.position('hal').catch(() => ({ epoch: 'x', offset: 0 }));
    await redis.stop('SIGKILL');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      await expect(a.replay('hal', 'run-down', 0)).rejects.toMatchObject({ name: 'BusUnavailableError', reason: 'unreachable', code: 'ERR_BUS_UNAVAILABLE' });
      const many = await Promise.allSettled(Array.from({ length: 40 }, () => a.replayUser('hal', pos)));
      expect(many.every((r) => r.status === 'rejected' && (r.reason as { reason?: string }).reason === 'unreachable')).toBe(true);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await redis.start();
    }
  });
});

describe('RedisBus: batching (the publishes of one tick share one script call)', () => {
  it('keeps per-run order, per-user offsets and delivery order across a batch of many runs and users', async () => {
    const [a, b] = pair();
    const recs = ['bo', 'cy', 'di'].map((u) => ({ u, rec: recorder() }));
    for (const { u, rec } of recs) b.subscribe(u, rec.listener);
    await Promise.all(recs.map(({ u }) => b.position(u)));
    const before = a.stats().batches;
    // Started in one tick: 3 users × 2 runs × 10 events, interleaved (several events of one run per batch).
    const pending = [];
    for (let i = 0; i < 10; i++) for (const { u } of recs) for (const r of ['x', 'y']) pending.push(a.publishEvent(thinking(u, `run-${u}-${r}`, i)));
    const results = await Promise.all(pending);
    expect(a.stats().batches - before).toBe(1);
    for (const { u, rec } of recs) {
      const mine = results.filter((e) => e.userId === u);
      expect(mine.map((e) => e.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      for (const r of ['x', 'y']) {
        const run = mine.filter((e) => e.runId === `run-${u}-${r}`);
        expect(run.map((e) => [e.seq, e.reasoning])).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, `step ${i}`]));
      }
      const got = await rec.waitForEvents(20);
      expect(got.map((e) => [e.offset, e.runId, e.seq])).toEqual(mine.map((e) => [e.offset, e.runId, e.seq]));
    }
  });

  it('a busy bus confirms each call\'s answers by its next call (no PING per round trip); once idle, one PING does', async () => {
    const [a] = pair();
    await a.ready();
    await raw.config('RESETSTAT');
    // Lockstep, as runs awaiting each emit: every answer is followed at once by the next call.
    for (let round = 0; round < 8; round++) {
      await Promise.all(['x', 'y', 'z'].map((u) => a.publishEvent(thinking(u, `run-busy-${u}`, round))));
    }
    const pings = async () => Number(/cmdstat_ping:calls=(\d+)/.exec(await raw.info('commandstats'))?.[1] ?? 0);
    await sleep(100); // idle now: the last call's answers still need a later answer
    expect(await pings()).toBe(1);
    expect(a.stats().batches).toBe(8);
  });

  it('tracks at most maxTrackedRuns producers, forgetting the least recently used idle one; a forgotten run publishes on in order', async () => {
    const [a] = pair({ maxTrackedRuns: 3 });
    await a.ready();
    const tracked = () => [...(a as unknown as { runs: Map<string, unknown> }).runs.keys()].sort();
    for (const r of ['r1', 'r2', 'r3']) await a.publishEvent(thinking('lru', r, 0));
    await a.publishEvent(thinking('lru', 'r1', 1)); // r1 used again: r2 is now the least recently used
    await a.publishEvent(thinking('lru', 'r4', 0));
    expect(a.stats().trackedRuns).toBe(3);
    expect(tracked()).toEqual(['r1', 'r3', 'r4']);
    // A run with a publish in flight is never forgotten. r3's publish makes it the most recent (r1, r4, r3);
    // r5, r6, r7 come in the same tick: r5 drops r1, r6 drops r4, and with r7 the least recent is r3 — in
    // flight, as r5 and r6 are: kept; r7 itself (not counted in flight yet when tracked) goes.
    const inFlight = a.publishEvent(thinking('lru', 'r3', 1));
    const more = ['r5', 'r6', 'r7'].map((r) => a.publishEvent(thinking('lru', r, 0)));
    expect(tracked()).toEqual(['r3', 'r5', 'r6']);
    const [e3] = await Promise.all([inFlight, ...more]);
    expect(e3!.seq).toBe(2);
    // r2 was forgotten: a new producer of this instance, its seq going on from Redis's record of the run.
    const next = await a.publishEvent(thinking('lru', 'r2', 1));
    expect(next.seq).toBe(2);
    expect(a.stats().trackedRuns).toBeLessThanOrEqual(3);
  });

  it('splits a tick into batches of at most maxBatch, in order', async () => {
    const [a] = pair({ maxBatch: 3 });
    await a.ready();
    const before = a.stats().batches;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => a.publishEvent(thinking('ed', `run-${i % 2}`, i))));
    expect(a.stats().batches - before).toBe(7);
    expect(results.map((e) => e.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.filter((e) => e.runId === 'run-1').map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('a large tick from an idle bus goes as two calls (splitBatchFrom), in order; lockstep rounds stay at two calls, a smaller tick or splitBatchFrom 0 at one', async () => {
    const [a, b] = pair();
    const users = ['vic', 'wes', 'xia'];
    const recs = users.map((u) => ({ u, rec: recorder() }));
    for (const { u, rec } of recs) b.subscribe(u, rec.listener);
    await Promise.all([a.ready(), ...users.map((u) => b.position(u))]);
    // One tick: 3 users × 2 runs × 12 events = 72 publishes (>= the default 64): halves of 36, each
    // run's events spread over both calls.
    let before = a.stats().batches;
    const burst = [];
    for (let i = 0; i < 12; i++) for (const u of users) for (const r of ['x', 'y']) burst.push(a.publishEvent(thinking(u, `run-${u}-${r}`, i)));
    const first = await Promise.all(burst);
    expect(a.stats().batches - before).toBe(2);
    // Lockstep rounds of 66 users' runs (each awaits its emit, as the bench's): split once from idle,
    // then each half's next publishes leave while the other half is in Redis, or both halves again
    // from idle (the half answered first, whole) — two calls a round either way, never four.
    before = a.stats().batches;
    const runs = Array.from({ length: 66 }, (_, i) => ({ u: `lock-${i}`, r: `run-lock-${i}` }));
    const lockstep = await Promise.all(runs.map(async ({ u, r }) => {
      const out = [];
      for (let i = 0; i < 5; i++) out.push(await a.publishEvent(thinking(u, r, i)));
      return out;
    }));
    expect(a.stats().batches - before).toBe(10);
    for (const run of lockstep) expect(run.map((e) => [e.seq, e.offset, e.reasoning])).toEqual(Array.from({ length: 5 }, (_, i) => [i + 1, i + 1, `step ${i}`]));
    for (const { u, rec } of recs) {
      const mine = first.filter((e) => e.userId === u).sort((x, y) => x.offset - y.offset);
      expect(mine.map((e) => e.offset)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      for (const r of ['x', 'y']) {
        expect(mine.filter((e) => e.runId === `run-${u}-${r}`).map((e) => [e.seq, e.reasoning])).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, `step ${i}`]));
      }
      // Delivered to the other instance once each, in offset order.
      const got = await rec.waitForEvents(mine.length);
      expect(got.map((e) => [e.offset, e.runId, e.seq])).toEqual(mine.map((e) => [e.offset, e.runId, e.seq]));
    }
    // Below the threshold, and with splitting off: one call.
    before = a.stats().batches;
    await Promise.all(Array.from({ length: 63 }, (_, i) => a.publishEvent(thinking('yan', `run-yan-${i % 7}`, Math.floor(i / 7)))));
    expect(a.stats().batches - before).toBe(1);
    const [c] = pair({ splitBatchFrom: 0 });
    await c.ready();
    before = c.stats().batches;
    const whole = await Promise.all(Array.from({ length: 72 }, (_, i) => c.publishEvent(thinking('zed', `run-zed-${i % 2}`, Math.floor(i / 2)))));
    expect(c.stats().batches - before).toBe(1);
    expect(whole.map((e) => e.offset)).toEqual(Array.from({ length: 72 }, (_, i) => i + 1));
    expect(() => pair({ splitBatchFrom: -1 })).toThrow(/splitBatchFrom must be an integer >= 0/);
  });

  it("a split keeps each user's events of the tick in one call: a user with 20 runs in lockstep gets one stream entry per round (a pack), not one per half", async () => {
    const [a, b] = pair();
    const users = ['amy', 'ben', 'cat', 'dan'];
    const rec = recorder();
    b.subscribe('cat', rec.listener);
    await Promise.all([a.ready(), b.position('cat')]);
    // 4 users × 20 runs, started run-major (every user's runs interleaved), 3 lockstep rounds of 80
    // publishes: a split by position would give every user half its events in each call.
    const runs = Array.from({ length: 80 }, (_, i) => ({ u: users[i % 4]!, r: `run-split-${i}` }));
    const before = a.stats().batches;
    const out = await Promise.all(runs.map(async ({ u, r }) => {
      const got = [];
      for (let i = 0; i < 3; i++) got.push(await a.publishEvent(thinking(u, r, i)));
      return got;
    }));
    expect(a.stats().batches - before).toBe(6);
    // Round 1: 20 full items per user (one entry each); rounds 2 and 3: the user's 20 light items as one pack.
    for (const u of users) expect(await raw.xlen(a.keys.userStream(u))).toBe(22);
    expect(a.stats().packedItems).toBe(160);
    for (const run of out) expect(run.map((e) => e.seq)).toEqual([1, 2, 3]);
    const cat = out.flat().filter((e) => e.userId === 'cat').sort((x, y) => x.offset - y.offset);
    expect(cat.map((e) => e.offset)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect((await rec.waitForEvents(60)).map((e) => [e.offset, e.runId, e.seq])).toEqual(cat.map((e) => [e.offset, e.runId, e.seq]));
  });

  it("a tick where two users publish into one run id is not split: the emit order still decides a new run's owner", async () => {
    const [a] = pair();
    await a.ready();
    // gus appears first (its own run), then 39 of fox's runs, then hal's first event of a new run and
    // gus's publish into that run, then 30 of ivy's: a split of whole users would put all of gus's
    // publishes (with fox's) in the first call, ahead of hal's.
    const before = a.stats().batches;
    const gusOwn = a.publishEvent(thinking('gus', 'run-gus', 0));
    const fox = Array.from({ length: 39 }, (_, i) => a.publishEvent(thinking('fox', `run-fox-${i}`, 0)));
    const hal = a.publishEvent(thinking('hal', 'run-race', 0));
    const gusForeign = a.publishEvent(thinking('gus', 'run-race', 1));
    const ivy = Array.from({ length: 30 }, (_, i) => a.publishEvent(thinking('ivy', `run-ivy-${i}`, 0)));
    expect(await hal).toMatchObject({ userId: 'hal', seq: 1, offset: 1 });
    await expect(gusForeign).rejects.toMatchObject({ code: 'ERR_CROSS_USER' });
    await Promise.all([gusOwn, ...fox, ...ivy]);
    expect(a.stats().batches - before).toBe(1);
  });

  it('a refused item fails only itself and the later events of its run; the rest of the batch applies', async () => {
    const [a, b] = pair();
    await a.publishEvent(thinking('fay', 'run-fay', 0));
    await a.publishEvent(thinking('fay', 'run-fay-t', 0));
    // Redis refuses any append for this user: its meta key holds a string.
    await raw.set(a.keys.userMeta('gil'), 'not a hash');
    const before = b.stats().batches;
    const foreign = b.publishEvent(thinking('mallory', 'run-fay', 1)); // another user's run
    const wrongThread = b.publishEvent({ ...thinking('fay', 'run-fay-t', 1), threadId: 'other' });
    const good = [b.publishEvent(thinking('hal', 'run-hal', 0)), b.publishEvent(thinking('hal', 'run-hal', 1))];
    const broken = [b.publishEvent(thinking('gil', 'run-gil', 0)), b.publishEvent(thinking('gil', 'run-gil', 1))];
    const alsoGood = b.publishEvent(thinking('fay', 'run-fay-2', 0));
    await expect(foreign).rejects.toMatchObject({ code: 'ERR_CROSS_USER' });
    await expect(wrongThread).rejects.toMatchObject({ code: 'ERR_INVALID_CONTEXT' });
    await expect(broken[0]).rejects.toThrow(/WRONGTYPE/);
    await expect(broken[1]).rejects.toThrow(/WRONGTYPE/);
    expect((await Promise.all(good)).map((e) => [e.seq, e.offset])).toEqual([[1, 1], [2, 2]]);
    expect(await alsoGood).toMatchObject({ seq: 1, offset: 3 });
    expect(b.stats().batches - before).toBe(1);
    // Nothing of the refused items was stored, and the owner, the others and the broken user go on.
    expect(parse((await a.replayUser('fay', { epoch: (await alsoGood).epoch, offset: 0 })).frames).map((e) => [e.runId, e.seq])).toEqual([
      ['run-fay', 1],
      ['run-fay-t', 1],
      ['run-fay-2', 1],
    ]);
    expect(await raw.xlen(a.keys.userStream('mallory'))).toBe(0);
    expect(await a.publishEvent(thinking('fay', 'run-fay', 1))).toMatchObject({ seq: 2, offset: 4 });
    await raw.del(a.keys.userMeta('gil'));
    expect(await b.publishEvent(thinking('gil', 'run-gil-2', 0))).toMatchObject({ seq: 1 });
  });

  it("keeps order across batches: a run's events spread over many batches in flight (maxBatch) and over lockstep rounds reach another instance in seq and offset order", async () => {
    const [a, b] = pair({ maxBatch: 4 });
    const users = ['ola', 'pia', 'quinn'];
    const recs = users.map((u) => ({ u, rec: recorder() }));
    for (const { u, rec } of recs) b.subscribe(u, rec.listener);
    await Promise.all(users.map((u) => b.position(u)));
    const before = a.stats().batches;
    // One tick: 3 users × 2 runs × 6 events, 36 publishes in 9 batches on the wire at once.
    const first = [];
    for (let i = 0; i < 6; i++) for (const u of users) for (const r of ['x', 'y']) first.push(a.publishEvent(thinking(u, `run-${u}-${r}`, i)));
    const burst = await Promise.all(first);
    expect(a.stats().batches - before).toBe(9);
    // Then lockstep rounds (each run awaits its emit, as agents do): one batch per round.
    const rounds = [];
    for (let i = 6; i < 10; i++) rounds.push(...(await Promise.all(users.flatMap((u) => ['x', 'y'].map((r) => a.publishEvent(thinking(u, `run-${u}-${r}`, i)))))));
    for (const { u, rec } of recs) {
      const mine = [...burst, ...rounds].filter((e) => e.userId === u);
      expect(mine.map((e) => e.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      for (const r of ['x', 'y']) {
        expect(mine.filter((e) => e.runId === `run-${u}-${r}`).map((e) => [e.seq, e.reasoning])).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, `step ${i}`]));
      }
      const got = await rec.waitForEvents(20);
      expect(got.map((e) => [e.offset, e.runId, e.seq])).toEqual(mine.map((e) => [e.offset, e.runId, e.seq]));
    }
    await sleep(50);
    expect(recs.map(({ rec }) => rec.events().length)).toEqual([20, 20, 20]); // nothing twice
  });

  it('a batch interrupted by a Redis outage (its connection dropped while the call waits in Redis) is sent again whole: each item applies once, in order, a foreign run among own runs is still refused', async () => {
    const [a, b] = pair();
    const users = ['rex', 'sam'];
    const recs = users.map((u) => ({ u, rec: recorder() }));
    for (const { u, rec } of recs) b.subscribe(u, rec.listener);
    await Promise.all([a.ready(), ...users.map((u) => b.position(u))]);
    // Before: rex owns run-rex; each user has one event stored.
    for (const u of users) await a.publishEvent(thinking(u, `run-${u}`, 0));
    await raw.call('CLIENT', 'PAUSE', '3000', 'WRITE');
    let interrupted = false;
    try {
      const before = a.stats().batches;
      // One tick, one batch: own runs of both users (several events each) with sam's emit into rex's run amid them.
      const own = [];
      for (let i = 1; i <= 4; i++) for (const u of users) own.push(a.publishEvent(thinking(u, `run-${u}`, i)));
      const foreign = a.publishEvent(thinking('sam', 'run-rex', 99));
      const after = [a.publishEvent(thinking('sam', 'run-sam', 5)), a.publishEvent(thinking('rex', 'run-rex', 5))];
      await sleep(100);
      expect(a.stats()).toMatchObject({ buffered: 11 });
      expect(a.stats().batches - before).toBe(1);
      // The call is in Redis, paused: drop the bus's command connection under it, then let Redis go on.
      const list = String(await raw.call('CLIENT', 'LIST', 'TYPE', 'normal'));
      const line = list.split('\n').find((l) => l.includes(`name=ssot-bus-${a.instanceId}-cmd`));
      expect(line).toBeDefined();
      await raw.call('CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(line!)![1]!);
      interrupted = true;
      await raw.call('CLIENT', 'UNPAUSE');
      await expect(foreign).rejects.toMatchObject({ code: 'ERR_CROSS_USER' });
      const applied = [...(await Promise.all(own)), ...(await Promise.all(after))];
      expect(a.stats().batches - before).toBeGreaterThanOrEqual(2); // sent again after the reconnect
      // The interrupted call held light items (each user's run had its first event applied: the user's
      // write lease): applied but unanswered, they were resent as full items and recognised by their pseq.
      expect(a.stats().lightItems).toBe(2);
      for (const u of users) {
        const mine = applied.filter((e) => e.userId === u).sort((x, y) => x.offset - y.offset);
        expect(mine.map((e) => [e.offset, e.seq, e.reasoning])).toEqual(Array.from({ length: 5 }, (_, i) => [i + 2, i + 2, `step ${i + 1}`]));
        // Stored once each (the resend of an applied item appends nothing), delivered once each, in order.
        expect(await raw.xlen(a.keys.userStream(u))).toBe(6);
        const rec = recs.find((r) => r.u === u)!.rec;
        const got = await rec.waitForEvents(6);
        expect(got.map((e) => [e.offset, e.seq])).toEqual(Array.from({ length: 6 }, (_, i) => [i + 1, i + 1]));
      }
      await sleep(50);
      expect(recs.map(({ rec }) => rec.events().length)).toEqual([6, 6]);
      // Nothing of the foreign emit was stored under either user.
      const sam = await a.replayUser('sam', { epoch: applied[0]!.epoch, offset: 0 });
      expect(parse(sam.frames).every((e) => e.runId === 'run-sam')).toBe(true);
    } finally {
      if (!interrupted) await raw.call('CLIENT', 'UNPAUSE');
    }
  });

  it("another user's or thread's publish into a run this bus publishes for fails alone: the owner's events around it in the batch apply, gapless", async () => {
    const [a] = pair();
    await a.publishEvent(thinking('tia', 'run-tia', 0));
    const before = a.stats().batches;
    const o1 = a.publishEvent(thinking('tia', 'run-tia', 1));
    const foreign = a.publishEvent(thinking('uma', 'run-tia', 9));
    const o2 = a.publishEvent(thinking('tia', 'run-tia', 2));
    const wrongThread = a.publishEvent({ ...thinking('tia', 'run-tia', 9), threadId: 'other' });
    const o3 = a.publishEvent(thinking('tia', 'run-tia', 3));
    await expect(foreign).rejects.toMatchObject({ code: 'ERR_CROSS_USER' });
    await expect(wrongThread).rejects.toMatchObject({ code: 'ERR_INVALID_CONTEXT' });
    expect((await Promise.all([o1, o2, o3])).map((e) => [e.seq, e.offset, e.reasoning])).toEqual([[2, 2, 'step 1'], [3, 3, 'step 2'], [4, 4, 'step 3']]);
    expect(a.stats().batches - before).toBe(1);
    expect(await a.publishEvent(thinking('tia', 'run-tia', 4))).toMatchObject({ seq: 5, offset: 5 });
    // Once Redis forgot the run (its keys expired), another user may take the id: its frames name that user.
    await raw.del(a.keys.runMeta('run-tia'), a.keys.userMeta('tia'), a.keys.userStream('tia'));
    const taken = [await a.publishEvent(thinking('uma', 'run-tia', 0)), await a.publishEvent(thinking('uma', 'run-tia', 1))];
    expect(taken.map((e) => [e.userId, e.seq])).toEqual([['uma', 1], ['uma', 2]]);
    const stored = await a.replayUser('uma', { epoch: taken[0]!.epoch, offset: 0 });
    expect(parse(stored.frames).map((e) => [e.userId, e.runId, e.seq])).toEqual([['uma', 'run-tia', 1], ['uma', 'run-tia', 2]]);
  });

  it('while Redis is slow (clients paused) publishes wait in the outbox up to its bound, then are refused; none is lost', async () => {
    const [a, b] = pair({ maxBufferedPublishes: 8 });
    const rec = recorder();
    b.subscribe('ida', rec.listener);
    await Promise.all([a.ready(), b.position('ida')]);
    await a.publishEvent(thinking('ida', 'run-slow', 0));
    await raw.call('CLIENT', 'PAUSE', '500', 'WRITE');
    const accepted = Array.from({ length: 8 }, (_, i) => a.publishEvent(thinking('ida', 'run-slow', 1 + i)));
    await sleep(50);
    expect(a.stats()).toMatchObject({ connected: true, buffered: 8 });
    await expect(a.publishEvent(thinking('ida', 'run-slow', 99))).rejects.toMatchObject({ code: 'ERR_BUS_UNAVAILABLE', reason: 'buffer-full' });
    expect((await Promise.all(accepted)).map((e) => e.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const got = await rec.waitForEvents(9);
    expect(got.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.stats().buffered).toBe(0);
  });
});

describe('RedisBus: ownership and idempotency', () => {
  it('refuses an append into a run owned by another user or another thread, and the owner goes on', async () => {
    const [a, b] = pair();
    await a.publishEvent(thinking('ivy', 'run-own', 0));
    await expect(b.publishEvent(thinking('mallory', 'run-own', 1))).rejects.toMatchObject({ code: 'ERR_CROSS_USER' });
    await expect(b.publishEvent({ ...thinking('ivy', 'run-own', 1), threadId: 'other-thread' })).rejects.toMatchObject({ code: 'ERR_INVALID_CONTEXT' });
    const next = await a.publishEvent(thinking('ivy', 'run-own', 2));
    expect([next.seq, next.offset]).toEqual([2, 2]);
    const r = await a.replay('ivy', 'run-own', 0);
    expect(r.status === 'ok' && parse(r.frames).map((e) => e.reasoning)).toEqual(['step 0', 'step 2']);
    expect(await raw.xlen(a.keys.userStream('mallory'))).toBe(0);
  });

  it('the append script is idempotent per producer seq and refuses one that skips a predecessor', async () => {
    const prefix = `t${++prefixCounter}:`;
    const k = redisKeys(prefix);
    const keys = [k.runMeta('run'), k.userMeta('u'), k.userStream('u')];
    const globals = ['ep1', 1 << 20, 60_000, 1 << 24, 60_000, 60_000, 100, prefix, 64, 15_000, 'writer-1'];
    const item = (pseq: number, acked: number) => [
      'e', 'u', 'th', 'run', 'prod-1', pseq, acked, 0, '{"type":"agent_thinking","runId":"run","threadId":"th","userId":"u"', '","ts":1,"reasoning":"r"}', '0',
    ];
    /** One script call appending the given (pseq, acked) items in order; one answer line per item. */
    const call = async (...items: [number, number][]): Promise<string[]> =>
      String(await raw.eval(APPEND_BATCH_LUA, 3, k.streams, k.sizes, k.bytes, ...globals, ...items.flatMap(([p, a]) => item(p, a)))).split('\n');
    const marks = async () => Object.keys(await raw.hgetall(keys[0]!)).filter((f) => /^[mk]:/.test(f)).sort();
    expect(await call([1, 0])).toEqual(['1:1:ep1']);
    expect(await marks()).toEqual([]);
    // Pipelined: pseq 2 leaves before the producer saw pseq 1 acknowledged, so pseq 1's answer is kept.
    expect(await call([2, 0])).toEqual(['2:2:ep1']);
    expect(await marks()).toEqual(['k:prod-1', 'm:prod-1:1']);
    // A resend of pseq 1 and 2 (their replies were lost): same seq and offset, nothing appended.
    expect(await call([1, 0], [2, 0])).toEqual(['1:1:ep1', '2:2:ep1']);
    expect(await raw.xlen(keys[2]!)).toBe(2);
    // A refused item answers on its own; the next one in the same call still applies, and the kept
    // answers the producer saw acknowledged go.
    expect(await call([4, 2], [3, 2])).toEqual(['!SSOT_ORDER expected 3', '3:3:ep1']);
    expect(await raw.xlen(keys[2]!)).toBe(3);
    expect(await marks()).toEqual([]);
    // One publish in flight per run (the hub's way): nothing kept but the last answer.
    const more = await call(...Array.from({ length: 7 }, (_, i): [number, number] => [4 + i, 3 + i]));
    expect(more).toEqual([4, 5, 6, 7, 8, 9, 10].map((n) => `${n}:${n}:ep1`));
    expect(await marks()).toEqual([]);
    // The producer's last answer is in the run's record in its owner's meta (<seq>:<offset>:<valid until>:<pseq>:<kept>:<producer>:<thread>),
    // not in the run's meta.
    expect(await raw.hget(keys[1]!, 'r:run')).toMatch(/^10:10:\d+:10:0:prod-1:th$/);
    expect(await raw.hget(keys[0]!, 'p:prod-1')).toBeNull();
    // Three in flight: the two older answers are kept until the producer says it saw them.
    expect(await call([11, 10], [12, 10], [13, 10])).toEqual(['11:11:ep1', '12:12:ep1', '13:13:ep1']);
    expect(await marks()).toEqual(['k:prod-1', 'm:prod-1:11', 'm:prod-1:12']);
    expect(await call([11, 10], [13, 10])).toEqual(['11:11:ep1', '13:13:ep1']);
    expect(await call([14, 12])).toEqual(['14:14:ep1']);
    expect(await marks()).toEqual(['k:prod-1', 'm:prod-1:13']);
    expect(await call([15, 14])).toEqual(['15:15:ep1']);
    expect(await marks()).toEqual([]);
    expect(await raw.xlen(keys[2]!)).toBe(15);
    // Per-user bookkeeping written once per call matches what was appended.
    expect(await raw.hmget(keys[1]!, 'epoch', 'off')).toEqual(['ep1', '15']);
    const bytes = Number(await raw.hget(k.sizes, 'u'));
    expect(Number(await raw.get(k.bytes))).toBe(bytes);
    const stored = await raw.xrange(keys[2]!, '-', '+');
    expect(bytes).toBe(stored.reduce((n, [, f]) => n + Buffer.byteLength(frameOf(f)) + 64, 0));
    // The script names the keys as redisKeys does; each outlives its bound by two refresh intervals at
    // most, the user's stream as long as its meta (lean items' position and records are read back from it).
    expect(await raw.pttl(keys[2]!)).toBeGreaterThan(75_000);
    expect(await raw.pttl(keys[2]!)).toBeLessThanOrEqual(90_000);
    expect(await raw.pttl(keys[1]!)).toBeGreaterThan(75_000);
    expect(await raw.pttl(keys[1]!)).toBeLessThanOrEqual(90_000);
    expect(await raw.pttl(keys[0]!)).toBeGreaterThan(60_000);
    expect(await raw.zscore(k.streams, 'u')).not.toBeNull();
  });

  /** Raw calls of the append script for one key prefix (settings: maxRuns 100, refresh 15 s). */
  function scriptCalls() {
    const prefix = `t${++prefixCounter}:`;
    const k = redisKeys(prefix);
    const globals = ['ep1', 1 << 20, 60_000, 1 << 24, 60_000, 60_000, 100, prefix, 64, 15_000, 'writer-1'];
    const item = (user: string, run: string, producer: string, pseq: number, acked: number, hint = 0) => [
      'e', user, 'th', run, producer, pseq, acked, hint, `{"type":"agent_thinking","runId":"${run}","threadId":"th","userId":"${user}"`, '","ts":1,"reasoning":"r"}', '0',
    ];
    const call = async (...items: (string | number)[][]): Promise<string[]> =>
      String(await raw.eval(APPEND_BATCH_LUA, 3, k.streams, k.sizes, k.bytes, ...globals, ...items.flat())).split('\n');
    return { k, item, call };
  }

  it("two producers on one run: the last writer's answer is in the run's record, the other's moves to the run's meta; resends of either append nothing", async () => {
    const { k, item, call } = scriptCalls();
    expect(await call(item('u', 'run', 'p1', 1, 0), item('u', 'run', 'p1', 2, 1))).toEqual(['1:1:ep1', '2:2:ep1']);
    // p2 appends: p1's last answer moves to the run's meta, the record names p2.
    expect(await call(item('u', 'run', 'p2', 1, 0))).toEqual(['3:3:ep1']);
    expect(await raw.hget(k.runMeta('run'), 'p:p1')).toBe('2:2:2:ep1');
    expect(await raw.hget(k.userMeta('u'), 'r:run')).toMatch(/^3:3:\d+:1:0:p2:th$/);
    // A resend of p1's last publish answers what it got, from the run's meta.
    expect(await call(item('u', 'run', 'p1', 2, 1))).toEqual(['2:2:ep1']);
    expect(await raw.xlen(k.userStream('u'))).toBe(3);
    // p1 goes on: the record names p1 again (its entry in the run's meta goes), p2's answer moves there.
    expect(await call(item('u', 'run', 'p1', 3, 2))).toEqual(['4:4:ep1']);
    expect(await raw.hget(k.runMeta('run'), 'p:p1')).toBeNull();
    expect(await raw.hget(k.runMeta('run'), 'p:p2')).toBe('1:3:3:ep1');
    expect(await call(item('u', 'run', 'p2', 1, 0), item('u', 'run', 'p1', 3, 2))).toEqual(['3:3:ep1', '4:4:ep1']);
    // p2 skipping a publish is refused; its next one applies with the run's next seq.
    expect(await call(item('u', 'run', 'p2', 3, 1), item('u', 'run', 'p2', 2, 1))).toEqual(['!SSOT_ORDER expected 2', '5:5:ep1']);
    expect(await raw.xlen(k.userStream('u'))).toBe(5);
    // The run's meta keeps a lower bound of its seq (written on each event that read it).
    expect(Number(await raw.hget(k.runMeta('run'), 'seq'))).toBe(5);
  });

  it('a user keeps at most maxRuns run records (the least recently active go); a run whose record went continues its seq from its meta', async () => {
    const { k, item, call } = scriptCalls();
    // 130 runs of one user, 2 events each (the second takes the fast path: the record only).
    const runs = Array.from({ length: 130 }, (_, i) => `run-${i}`);
    expect(await call(...runs.map((r) => item('u', r, 'p', 1, 0)))).toHaveLength(130);
    await call(...runs.map((r) => item('u', r, 'p', 2, 1)));
    const records = Object.keys(await raw.hgetall(k.userMeta('u'))).filter((f) => f.startsWith('r:'));
    // Checked every 64 offsets (here at offset 192 and 256): the 100 most recently active are kept.
    expect(records).toHaveLength(100);
    expect(records).not.toContain('r:run-0');
    expect(records).toContain('r:run-129');
    // run-0's record went: its meta got its seq (2), so another producer (no hint) continues at 3.
    expect(await raw.hget(k.runMeta('run-0'), 'seq')).toBe('2');
    expect(await call(item('u', 'run-0', 'q', 1, 0))).toEqual(['3:261:ep1']);
  });

  it('a flushed script cache (NOSCRIPT) costs nothing: the batch is resent with the script in full', async () => {
    const [a] = pair();
    expect(await a.publishEvent(thinking('nora', 'run-ns', 0))).toMatchObject({ seq: 1, offset: 1 });
    await raw.script('FLUSH');
    const before = a.stats().batches;
    const again = await Promise.all([1, 2, 3].map((i) => a.publishEvent(thinking('nora', 'run-ns', i))));
    expect(a.stats().batches - before).toBe(2); // refused with NOSCRIPT, then sent again in full
    expect(again.map((e) => [e.seq, e.offset])).toEqual([[2, 2], [3, 3], [4, 4]]);
    expect(await raw.xlen(a.keys.userStream('nora'))).toBe(4);
  });

  // The raw XADDs below stand for a writer that stores without publishing on a live subscription: no
  // writer of the bus does (a lost pub/sub message comes with a reconnect and its catch-up), and a
  // pipelined lean item refused at such an offset publishes its frame before anyone else does (see
  // README "Pipelined lean appends"): this premise holds for the script's lean items only.
  it.skipIf(defaultLeanAppends === 'pipelined')('a subscriber never delivers the same offset twice, and fills an offset jump from the stream', async () => {
    const [a, b] = pair();
    const rec = recorder();
    b.subscribe('jan', rec.listener);
    await b.position('jan');
    const e1 = await a.publishEvent(thinking('jan', 'run-d', 0));
    await rec.waitForEvents(1);
    const stream = a.keys.userStream('jan');
    const first = (await raw.xrange(stream, '-', '+'))[0]!;
    const json = first[1][first[1].indexOf('j') + 1]!;
    // The exact frame Redis published for offset 1, published again: dropped.
    await raw.publish(a.keys.eventChannel(eventShard('jan', 16)), `1|1|${e1.epoch}|3|5|${Buffer.byteLength(json)}|janrun-d${json}`);
    // Offsets 2 and 3 appended without pub/sub (as if lost on the wire), then offset 4 published normally.
    for (const [o, step] of [[2, 'step 1'], [3, 'step 2']] as const) {
      const frame = json.replace('"seq":1,"offset":1', `"seq":${o},"offset":${o}`).replace('step 0', step);
      await raw.xadd(stream, `${o}-0`, 'j', frame, 'r', 'run-d', 's', String(o), 't', String(Date.now()));
    }
    await raw.hset(a.keys.userMeta('jan'), 'off', 3);
    // The run's seq lives in its record in the owner's meta (<seq>:<offset>:…).
    const record = (await raw.hget(a.keys.userMeta('jan'), 'r:run-d'))!;
    await raw.hset(a.keys.userMeta('jan'), 'r:run-d', record.replace(/^1:1:/, '3:3:'));
    const e4 = await a.publishEvent(thinking('jan', 'run-d', 3));
    expect([e1.offset, e4.offset]).toEqual([1, 4]);
    const got = await rec.waitForEvents(4);
    await sleep(100);
    expect(rec.events().map((e) => [e.offset, e.seq, e.reasoning])).toEqual([
      [1, 1, 'step 0'],
      [2, 2, 'step 1'],
      [3, 3, 'step 2'],
      [4, 4, 'step 3'],
    ]);
    expect(got).toHaveLength(4);
  });
});

describe('RedisBus: the write lease (light appends by the user\'s last writer)', () => {
  /** Raw append script calls as a given writer (ARGV[11]). */
  function leaseCalls() {
    const prefix = `t${++prefixCounter}:`;
    const k = redisKeys(prefix);
    const globals = (writer: string) => ['ep1', 1 << 20, 60_000, 1 << 24, 60_000, 60_000, 100, prefix, 64, 15_000, writer];
    const head = (run: string) => `{"type":"agent_thinking","runId":"${run}","threadId":"th","userId":"u"`;
    const rest = '","ts":1,"reasoning":"r"}';
    const full = (kind: string, run: string, producer: string, pseq: number) => [kind, 'u', 'th', run, producer, pseq, pseq - 1, 0, head(run), rest, '0'];
    // `prev`: the record the sender's previous light item of the run wrote ('' after a full item).
    // kind 'l': lean (the writer check and XADD only); 'L': through the general path (every check).
    const light = (run: string, producer: string, pseq: number, base: number, seq: number, epoch = 'ep1', prev = '', kind = 'l') => {
      const json = `${head(run)},"seq":${seq},"offset":${base + 1},"epoch":"${epoch}${rest}`;
      const o = base + 1;
      const header = `${o}|${seq}|${epoch}|1|${run.length}|${Buffer.byteLength(json)}|u${run}`;
      // 'l' (issue 21 redis12): 7 arguments, the channel message piece (header + frame) the entry's 'm'.
      if (kind === 'l') return ['l', k.userMeta('u'), k.userStream('u'), header + json, '0', o, ''];
      return [kind, 'u', `${seq}:${o}:0:${pseq}:0:${producer}:th`, run, prev, base, seq, json, epoch, '0', o, header];
    };
    const general = (run: string, producer: string, pseq: number, base: number, seq: number, epoch = 'ep1', prev = '') =>
      light(run, producer, pseq, base, seq, epoch, prev, 'L');
    const call = async (writer: string, ...items: (string | number)[][]): Promise<string[]> =>
      String(await raw.eval(APPEND_BATCH_LUA, 3, k.streams, k.sizes, k.bytes, ...globals(writer), ...items.flat())).split('\n');
    // A lean entry holds its frame at the end of 'm' (after its header's 6 '|'-separated fields and the ids).
    const ids = async () => (await raw.xrange(k.userStream('u'), '-', '+')).map(([id, f]) => [id, JSON.parse(frameOf(f)).offset]);
    return { k, full, light, general, call, ids };
  }

  it('a lean item whose user\'s meta holds another type fails alone with that Redis error; the rest of the call applies', async () => {
    const { k, full, light, call } = leaseCalls();
    expect(await call('w1', full('e', 'ra', 'pa', 1))).toEqual(['1:1:ep1']);
    expect(await call('w1', light('ra', 'pa', 2, 1, 2))).toEqual(['+']);
    await raw.del(k.userMeta('u'));
    await raw.set(k.userMeta('u'), 'not a hash');
    // A lean item reads its user's meta only when the user is not a member of its writer's lease set
    // (issue 21 redis18: one SMISMEMBER per call instead of an HGET per event): out of the set here.
    await raw.del(k.leases('w1'));
    // The lean item is read without a pcall around it (APPEND_BATCH_LUA's item loop): its HGET's error
    // is its answer, as a raised one was, and the message after it is still published.
    const [lean, message] = await call('w1', light('ra', 'pa', 3, 2, 3), ['m', `${k.prefix}user:v`, 'payload', '0']);
    expect(lean).toMatch(/^!WRONGTYPE /);
    expect(message).toBe('#0');
    expect(await raw.xlen(k.userStream('u'))).toBe(2);
  });

  it('a lean item after its user was revoked earlier in the same call is refused, though the user was a member when the call began', async () => {
    const { k, full, light, call } = leaseCalls();
    expect(await call('w1', full('e', 'ra', 'pa', 1))).toEqual(['1:1:ep1']);
    expect(await call('w1', light('ra', 'pa', 2, 1, 2))).toEqual(['+']);
    expect(await raw.smembers(k.leases('w1'))).toEqual([k.userMeta('u')]);
    // The first item's offset is taken (XADD refuses it): the writer is revoked ('w' deleted). The second,
    // at the free offset, was a member by the call's SMISMEMBER, but the revocation must hold for it too
    // (APPEND_BATCH_LUA: noLean): nothing the sender predicted from the lease applies after a refusal.
    expect(await call('w1', light('ra', 'pa', 3, 1, 3), light('ra', 'pa', 3, 2, 3))).toEqual(['!SSOT_LEASE', '!SSOT_LEASE']);
    expect(await raw.xlen(k.userStream('u'))).toBe(2);
    expect(await raw.hget(k.userMeta('u'), 'w')).toBeNull();
    expect(await raw.smembers(k.leases('w1'))).toEqual([]);
  });

  it("the lease sets (issue 21 redis18): a lean item is checked against its writer's set, which follows every change of the user's writer — a takeover, a revocation, the user's keys lost and made again by another instance", async () => {
    const { k, full, light, call, ids } = leaseCalls();
    const leases = (w: string) => raw.smembers(k.leases(w));
    const registry = () => raw.smembers(k.leaseWriters);
    expect(await call('w1', full('e', 'ra', 'pa', 1))).toEqual(['1:1:ep1']);
    // The general path made w1 the writer: the user is a member of w1's set, w1 listed.
    expect(await leases('w1')).toEqual([k.userMeta('u')]);
    expect(await registry()).toEqual(['w1']);
    const scriptCmds = async (fn: () => Promise<unknown>) => {
      const rec = await recordCommands(raw, (source) => source === 'lua');
      await fn();
      await sleep(50);
      rec.stop();
      return rec.names();
    };
    // A member's lean item reads no meta: one SMISMEMBER for the call, then its XADD.
    const cmds = await scriptCmds(() => call('w1', light('ra', 'pa', 2, 1, 2)));
    expect(cmds.map((c) => c.toLowerCase()).filter((c) => c !== 'time' && c !== 'publish')).toEqual(['smismember', 'xadd']);
    // Not a member (the set lost): the meta's 'w' is read as before, and names w1, so it applies and w1's
    // set holds the user again.
    await raw.del(k.leases('w1'));
    expect(await call('w1', light('ra', 'pa', 3, 2, 3))).toEqual(['+']);
    expect(await leases('w1')).toEqual([k.userMeta('u')]);
    // A takeover: w2 appends (the general path), so the user leaves w1's set; w1's lean item is refused.
    expect(await call('w2', full('e', 'rb', 'pb', 1))).toEqual(['1:4:ep1']);
    expect(await leases('w1')).toEqual([]);
    expect(await leases('w2')).toEqual([k.userMeta('u')]);
    expect(await call('w1', light('ra', 'pa', 4, 4, 4))).toEqual(['!SSOT_LEASE']);
    // A revocation: w2's lean item at a taken offset is refused, 'w' deleted, and the user leaves w2's set.
    expect(await call('w2', light('rb', 'pb', 2, 3, 2))).toEqual(['!SSOT_LEASE']);
    expect(await raw.hget(k.userMeta('u'), 'w')).toBeNull();
    expect(await leases('w2')).toEqual([]);
    expect(await call('w2', light('rb', 'pb', 2, 4, 2))).toEqual(['!SSOT_LEASE']);
    expect((await ids()).map(([id]) => id)).toEqual(['1-0', '2-0', '3-0', '4-0']);
  });

  it("the lease sets: a stale writer's member does not survive its user's keys lost and made again by another instance — its lean item at its old offset is refused, not appended in the new epoch", async () => {
    const { k, full, light, call, ids } = leaseCalls();
    expect(await call('w1', full('e', 'ra', 'pa', 1))).toEqual(['1:1:ep1']);
    for (let o = 1; o < 5; o++) expect(await call('w1', light('ra', 'pa', o + 1, o, o + 1))).toEqual(['+']);
    expect(await raw.sismember(k.leases('w1'), k.userMeta('u'))).toBe(1);
    // The user's keys lost (deleted here; expired, or an operator's DEL) — not w1's set — and another
    // instance starts the user anew: a new epoch from offset 1.
    await raw.del(k.userMeta('u'), k.userStream('u'));
    const fresh = (writer: string, run: string) =>
      raw.eval(APPEND_BATCH_LUA, 3, k.streams, k.sizes, k.bytes, 'ep2', 1 << 20, 60_000, 1 << 24, 60_000, 60_000, 100, k.prefix, 64, 15_000, writer, ...full('e', run, 'p' + run, 1));
    expect(await fresh('w2', 'rb')).toBe('1:1:ep2');
    expect(await raw.sismember(k.leases('w1'), k.userMeta('u'))).toBe(0);
    // w1, unaware, sends its next lean item at offset 6 (epoch ep1): refused — with w1 still a member it
    // would have been appended at 6 in ep2's stream (NOMKSTREAM passes: the stream exists again).
    expect(await call('w1', light('ra', 'pa', 6, 5, 6))).toEqual(['!SSOT_LEASE']);
    expect((await ids()).map(([id]) => id)).toEqual(['1-0']);
    // The same when a reader made the meta again first (an epoch, no writer, no stream) and another
    // instance's append then created the stream.
    expect(await call('w1', full('e', 'rc', 'pc', 1))).toEqual(['1:2:ep2']);
    expect(await call('w1', light('rc', 'pc', 2, 2, 2))).toEqual(['+']);
    await raw.del(k.userMeta('u'), k.userStream('u'));
    await raw.hset(k.userMeta('u'), 'epoch', 'ep3', 'off', '0');
    expect(await fresh('w3', 'rd')).toBe('1:1:ep3');
    expect(await call('w1', light('rc', 'pc', 3, 3, 3))).toEqual(['!SSOT_LEASE']);
    expect((await ids()).map(([id]) => id)).toEqual(['1-0']);
  });

  it('fencing: a light or conditional item applies only while its sender is the user\'s last writer and the stream stands where it predicted', async () => {
    const { k, full, light, general, call, ids } = leaseCalls();
    expect(await call('w1', full('e', 'ra', 'pa', 1), full('e', 'rc', 'pc', 1))).toEqual(['1:1:ep1', '1:2:ep1']);
    expect(await raw.hget(k.userMeta('u'), 'w')).toBe('w1');
    // The last writer's lean item: seq, offset and frame are its own; of the meta only the writer is
    // read and nothing is written (the position and the run's record stay at their checkpoint).
    expect(await call('w1', light('ra', 'pa', 2, 2, 2))).toEqual(['+']);
    expect(await raw.hmget(k.userMeta('u'), 'off', 'r:ra')).toEqual(['2', expect.stringMatching(/^1:1:\d+:1:0:pa:th$/)]);
    // The general path ('L') reads them back from the stream: a stale prediction (offset already taken),
    // a wrong epoch, a skipped seq or pseq, another producer: refused, nothing appended.
    expect(await call('w1', general('ra', 'pa', 3, 2, 3))).toEqual(['!SSOT_LEASE']);
    expect(await call('w1', general('ra', 'pa', 3, 3, 3, 'ep0'))).toEqual(['!SSOT_LEASE']);
    expect(await call('w1', general('ra', 'pa', 3, 3, 4))).toEqual(['!SSOT_LEASE']);
    expect(await call('w1', general('ra', 'pa', 4, 3, 3))).toEqual(['!SSOT_LEASE']);
    expect(await call('w1', general('ra', 'pa', 3, 3, 3, 'ep1', '', ))).toEqual(['+']);
    expect(await call('w1', general('ra', 'pb', 4, 4, 4))).toEqual(['!SSOT_LEASE']);
    // A general item checkpoints: the position and the record as the lean item left them, then its own.
    expect(await raw.hmget(k.userMeta('u'), 'off', 'r:ra')).toEqual(['4', '3:4:0:3:0:pa:th']);
    expect(await raw.xlen(k.userStream('u'))).toBe(4);
    // A lean item whose offset is taken (an entry at or above it): XADD refuses its id, and the writer
    // is revoked, so nothing the sender predicted from it applies after (not even at a free offset).
    expect(await call('w1', light('ra', 'pa', 4, 3, 4))).toEqual(['!SSOT_LEASE']);
    expect(await raw.hget(k.userMeta('u'), 'w')).toBeNull();
    expect(await call('w1', light('ra', 'pa', 4, 4, 4))).toEqual(['!SSOT_LEASE']);
    expect(await raw.xlen(k.userStream('u'))).toBe(4);
    // Its unconditional resend applies, the run's seq continuing; w1 is the last writer again.
    expect(await call('w1', full('e', 'ra', 'pa', 4))).toEqual(['4:5:ep1']);
    // Another instance appends (a full item): it is the user's last writer now. w1's items are refused even
    // where their offset is free (as when the item w1 predicted them on was the one refused) — lean,
    // general and conditional alike.
    expect(await call('w2', full('e', 'rb', 'pb', 1))).toEqual(['1:6:ep1']);
    expect(await raw.hget(k.userMeta('u'), 'w')).toBe('w2');
    expect(await call('w1', light('rc', 'pc', 2, 6, 2))).toEqual(['!SSOT_LEASE']);
    expect(await call('w1', general('rc', 'pc', 2, 6, 2))).toEqual(['!SSOT_LEASE']);
    expect(await call('w1', full('e6:ep1', 'ra', 'pa', 5))).toEqual(['!SSOT_LEASE']);
    expect(await call('w1', light('ra', 'pa', 5, 6, 5), full('e7:ep1', 'rc', 'pc', 2))).toEqual(['!SSOT_LEASE', '!SSOT_LEASE']);
    expect(await raw.xlen(k.userStream('u'))).toBe(6);
    // Its unconditional resend applies after w2's event; then lean again.
    expect(await call('w1', full('e', 'ra', 'pa', 5))).toEqual(['5:7:ep1']);
    expect(await call('w1', light('ra', 'pa', 6, 7, 6))).toEqual(['+']);
    // Its resend (the reply lost) is recognised from the stream's tail: what it got, nothing appended.
    expect(await call('w1', full('e', 'ra', 'pa', 6))).toEqual(['6:8:ep1']);
    expect(await ids()).toEqual(Array.from({ length: 8 }, (_, i) => [`${i + 1}-0`, i + 1]));
    // A conditional item refused for its own reason (SSOT_ORDER) leaves the others of the call their
    // prediction (read back from the stream: offset 8, the lean item's).
    expect(await call('w1', full('e8:ep1', 'ra', 'pa', 9), full('e9:ep1', 'ra', 'pa', 7))).toEqual(['!SSOT_ORDER expected 7', '7:9:ep1']);
    // Through the general path the sender names the record its previous light item wrote, and the
    // next one applies only on exactly that.
    expect(await call('w1', general('ra', 'pa', 8, 9, 8))).toEqual(['+']);
    expect(await raw.hget(k.userMeta('u'), 'r:ra')).toBe('8:10:0:8:0:pa:th');
    expect(await call('w1', general('ra', 'pa', 9, 10, 9, 'ep1', '7:9:0:7:0:pa:th'))).toEqual(['!SSOT_LEASE']);
    expect(await call('w1', general('ra', 'pa', 9, 10, 9, 'ep1', '8:10:0:8:0:pb:th'))).toEqual(['!SSOT_LEASE']);
    expect(await call('w1', general('ra', 'pa', 9, 10, 9, 'ep1', '8:10:0:8:0:pa:th'))).toEqual(['+']);
    expect(await raw.xlen(k.userStream('u'))).toBe(11);
    // A lean item carries no user id: one for a user the general path read earlier in the call is refused
    // (the sender marks it 'L' instead).
    expect(await call('w1', full('e', 'rc', 'pc', 2), light('ra', 'pa', 10, 12, 10))).toEqual(['2:12:ep1', '!SSOT_LEASE']);
    // Once checkpointed, the user's size and the total count every entry, lean ones included.
    const stored = await raw.xrange(k.userStream('u'), '-', '+');
    const bytes = stored.reduce((n, [, f]) => n + Buffer.byteLength(frameOf(f)) + 64, 0);
    expect(Number(await raw.hget(k.sizes, 'u'))).toBe(bytes);
    expect(Number(await raw.get(k.bytes))).toBe(bytes);
  });

  it('a bus appends light while it is the user\'s last writer: the frames are those a full append makes, stored and delivered alike', async () => {
    const [a, b] = pair();
    const rec = recorder();
    b.subscribe('lu', rec.listener);
    await b.position('lu');
    const got: EventEnvelope[] = [];
    for (let i = 0; i < 10; i++) got.push(await a.publishEvent(thinking('lu', 'run-l', i)));
    got.push(await a.publishEvent({ ...thinking('lu', 'run-l', 10), type: 'agent_completed', data: { status: 'success', finalResponse: 'ok' } }));
    expect(a.stats().lightItems).toBe(10); // all but the run's first event (agent_completed too: lean, 'k')
    expect(got.map((e) => [e.seq, e.offset])).toEqual(Array.from({ length: 11 }, (_, i) => [i + 1, i + 1]));
    // The lean agent_completed left the run's meta as a full one does: its last seq, no refresh due,
    // the ended run's TTL (metaTtlMs, 1 h: not activeTtlMs, 24 h).
    expect(await raw.hmget(a.keys.runMeta('run-l'), 'user', 'thread', 'seq', 'x')).toEqual(['lu', 'th-lu', '11', '0']);
    expect(await raw.pttl(a.keys.runMeta('run-l'))).toBeGreaterThan(3_500_000);
    expect(await raw.pttl(a.keys.runMeta('run-l'))).toBeLessThanOrEqual(3_600_000);
    expect(await rec.waitForEvents(11)).toEqual(got);
    const stored = await a.replayUser('lu', { epoch: got[0]!.epoch, offset: 0 });
    expect(parse(stored.frames)).toEqual(got);
    expect(await b.replay('lu', 'run-l', 4)).toMatchObject({ status: 'ok', lastSeq: 11 });
    expect(await b.replay('other', 'run-l', 4)).toEqual({ status: 'unknown' });
    expect(await b.position('lu')).toEqual({ epoch: got[0]!.epoch, offset: 11 });
  });

  it('light appends keep the bounds: the user\'s stream trimmed by bytes, its size and the total exact at each checkpoint, across the lean path and the general one', async () => {
    const [a] = pair({ maxBytesPerUser: 4000 });
    const got: EventEnvelope[] = [];
    // 70 lockstep events: past the byte bound (trimming, general path), past offset 64 (the record count check), two runs.
    for (let i = 0; i < 35; i++) {
      got.push(await a.publishEvent(thinking('bu', 'run-b1', i)));
      got.push(await a.publishEvent(thinking('bu', 'run-b2', i)));
    }
    // Every event but run-b1's first (the user's first: a full item) is light — run-b2's first goes lean as a new run's ('n').
    expect(a.stats().lightItems).toBe(69);
    expect(got.map((e) => e.offset)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    const stored = await raw.xrange(a.keys.userStream('bu'), '-', '+');
    const bytes = stored.reduce((n, [, f]) => n + Buffer.byteLength(frameOf(f)) + 64, 0);
    expect(bytes).toBeLessThanOrEqual(4000);
    expect(stored.length).toBeLessThan(70);
    expect(stored.at(-1)![0]).toBe('70-0');
    // The user's size is a checkpoint (lean items write no meta): at most what is stored.
    expect(Number(await raw.hget(a.keys.userMeta('bu'), 'b'))).toBeLessThanOrEqual(bytes);
    const replay = await a.replayUser('bu', { epoch: got[0]!.epoch, offset: 0 });
    expect(replay).toMatchObject({ status: 'gap', reason: 'trimmed', availableFrom: 70 - stored.length + 1 });
    expect(parse(replay.frames)).toEqual(got.slice(70 - stored.length));
    // A light item after a full item of the same user in one call takes the general path: same answers.
    const [p1, p2] = [a.publishEvent(thinking('bu', 'run-b3', 0)), a.publishEvent(thinking('bu', 'run-b1', 35))];
    expect((await Promise.all([p1, p2])).map((e) => [e.runId, e.seq, e.offset])).toEqual([['run-b3', 1, 71], ['run-b1', 36, 72]]);
    expect(a.stats().lightItems).toBe(70);
    // That call went through the general path: a checkpoint, so the size and the total are exact.
    const after = await raw.xrange(a.keys.userStream('bu'), '-', '+');
    const afterBytes = after.reduce((n, [, f]) => n + Buffer.byteLength(frameOf(f)) + 64, 0);
    expect(afterBytes).toBeLessThanOrEqual(4000);
    expect(Number(await raw.hget(a.keys.userMeta('bu'), 'b'))).toBe(afterBytes);
    expect(Number(await raw.hget(a.keys.sizes, 'bu'))).toBe(afterBytes);
    expect(Number(await raw.get(a.keys.bytes))).toBe(afterBytes);
  });

  it('contention: two instances alternately publishing one user\'s runs (in turns and at once) lose, duplicate and reorder nothing', async () => {
    const [a, b] = pair();
    const c = makeBus({ keyPrefix: a.keys.prefix });
    const rec = recorder();
    c.subscribe('cu', rec.listener);
    await c.position('cu');
    const published: EventEnvelope[] = [];
    const run = async (bus: RedisBus, runId: string, from: number, n: number) => {
      for (let i = from; i < from + n; i++) published.push(await bus.publishEvent(thinking('cu', runId, i)));
    };
    for (let round = 0; round < 6; round++) {
      // In turns: each bus holds the lease for a few events, then the other one takes it over.
      await run(a, 'run-a', round * 8, 4);
      await run(b, 'run-b', round * 8, 4);
      // At once: both runs race for the user's stream.
      await Promise.all([run(a, 'run-a', round * 8 + 4, 4), run(b, 'run-b', round * 8 + 4, 4), run(a, 'run-a2', round * 4, 4)]);
    }
    const total = 6 * (8 + 8 + 4);
    expect(a.stats().lightItems + b.stats().lightItems).toBeGreaterThan(0);
    expect(a.stats().leaseRefusals + b.stats().leaseRefusals).toBeGreaterThan(0); // takeovers fenced the other's next item
    // Offsets: exactly 1..total, each once; each run's seq gapless and in its emit order.
    expect(published.map((e) => e.offset).sort((x, y) => x - y)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const runId of ['run-a', 'run-b', 'run-a2']) {
      const mine = published.filter((e) => e.runId === runId).sort((x, y) => x.offset - y.offset);
      expect(mine.map((e) => e.seq)).toEqual(mine.map((_, i) => i + 1));
      expect(mine.map((e) => (e as EventEnvelope & { reasoning: string }).reasoning)).toEqual(mine.map((_, i) => `step ${i}`));
    }
    // The stream holds each frame once, as answered, at its offset; a subscriber got them all in offset order.
    const stored = await c.replayUser('cu', { epoch: published[0]!.epoch, offset: 0 });
    expect(stored.status).toBe('ok');
    expect(parse(stored.frames)).toEqual([...published].sort((x, y) => x.offset - y.offset));
    expect(stored.frames.map((f) => f.offset)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const live = await rec.waitForEvents(total);
    expect(live.map((e) => e.offset)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('three producers on one run and on their own runs (lean entries after each checkpoint by whichever holds the lease): seq, offsets and every per-run replay stay exact on every instance', async () => {
    // The checkpoint rebuild reads each run's entries after the user's meta and assumes a lean entry is
    // the record's producer's next publish; three producers taking the lease in turns and racing for it
    // is where a wrong assumption would show as a skipped, repeated or mis-numbered seq.
    const [a, b] = pair();
    const c = makeBus({ keyPrefix: a.keys.prefix });
    const instances = [a, b, c];
    const published: EventEnvelope[] = [];
    const next = new Map<string, number>();
    const emit = async (bus: RedisBus, runId: string, n: number) => {
      for (let k = 0; k < n; k++) {
        const i = next.get(runId) ?? 0;
        next.set(runId, i + 1);
        published.push(await bus.publishEvent(thinking('tri', runId, i)));
      }
    };
    for (let round = 0; round < 4; round++) {
      // In turns on the shared run: each instance appends lean after the first item it sends as writer.
      for (const bus of instances) await emit(bus, 'run-shared', 3);
      // At once: each instance's own run, and the shared run continued by one of them.
      await Promise.all([emit(a, 'run-a', 4), emit(b, 'run-b', 4), emit(c, 'run-c', 4)]);
      await emit(instances[round % 3]!, 'run-shared', 2);
    }
    const total = published.length;
    expect(instances.reduce((s, x) => s + x.stats().lightItems, 0)).toBeGreaterThan(0);
    expect(published.map((e) => e.offset).sort((x, y) => x - y)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const [runId, n] of next) {
      const mine = published.filter((e) => e.runId === runId).sort((x, y) => x.offset - y.offset);
      expect(mine.map((e) => e.seq), runId).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(mine.map((e) => (e as EventEnvelope & { reasoning: string }).reasoning), runId).toEqual(mine.map((_, i) => `step ${i}`));
      // Every instance answers every per-run replay exactly: the frames after each seq, and the run's last seq.
      for (const bus of instances) {
        for (const after of [0, 1, Math.floor(n / 2), n - 1, n]) {
          const r = await bus.replay('tri', runId, after);
          expect(r, `${runId} after ${after}`).toMatchObject({ status: 'ok', lastSeq: n });
          if (r.status === 'ok') expect(parse(r.frames).map((e) => e.seq)).toEqual(Array.from({ length: n - after }, (_, i) => after + i + 1));
        }
      }
    }
    for (const bus of instances) {
      expect(await bus.position('tri')).toEqual({ epoch: published[0]!.epoch, offset: total });
      const stored = await bus.replayUser('tri', { epoch: published[0]!.epoch, offset: 0 });
      expect(parse(stored.frames)).toEqual([...published].sort((x, y) => x.offset - y.offset));
    }
    // Each instance goes on after the others: the shared run's seq continues from the rebuilt record.
    for (const bus of instances) await emit(bus, 'run-shared', 2);
    const shared = published.filter((e) => e.runId === 'run-shared').sort((x, y) => x.offset - y.offset);
    expect(shared.map((e) => e.seq)).toEqual(Array.from({ length: next.get('run-shared')! }, (_, i) => i + 1));
  });

  it('two instances appending to one user at once do not fence each other per event: a lost lease is not taken again for a while', async () => {
    const [a, b] = pair();
    const published: EventEnvelope[] = [];
    const run = async (bus: RedisBus, runId: string) => {
      for (let i = 0; i < 60; i++) published.push(await bus.publishEvent(thinking('hu', runId, i)));
    };
    const started = Date.now();
    await Promise.all([run(a, 'run-ha'), run(b, 'run-hb')]);
    // Without the cool-down each switch of writer refuses one item (~25 in ~0.1 s here); with it, a
    // couple per instance and second (the lease is tried again after each cool-down).
    expect(a.stats().leaseRefusals + b.stats().leaseRefusals).toBeLessThanOrEqual(4 * (1 + Math.floor((Date.now() - started) / 1000)));
    expect(published.map((e) => e.offset).sort((x, y) => x - y)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    for (const runId of ['run-ha', 'run-hb']) {
      expect(published.filter((e) => e.runId === runId).map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    }
  });

  it('takeover: a run continued by another instance after its lease holder went away goes on gapless, and the new holder appends light', async () => {
    const [a, b] = pair();
    const first: EventEnvelope[] = [];
    for (let i = 0; i < 5; i++) first.push(await a.publishEvent(thinking('tu', 'run-t', i)));
    expect(a.stats().lightItems).toBe(4);
    await a.close(); // the holder goes away without a word: its lease is only "last writer"
    const next: EventEnvelope[] = [];
    for (let i = 5; i < 10; i++) next.push(await b.publishEvent(thinking('tu', 'run-t', i)));
    expect(next.map((e) => [e.seq, e.offset])).toEqual([[6, 6], [7, 7], [8, 8], [9, 9], [10, 10]]);
    expect(b.stats().lightItems).toBe(4);
    expect(b.stats().leaseRefusals).toBe(0);
    // A stale holder coming back (a new instance for the same run) is fenced too: it continues after b.
    const a2 = makeBus({ keyPrefix: a.keys.prefix });
    expect(await a2.publishEvent(thinking('tu', 'run-t', 10))).toMatchObject({ seq: 11, offset: 11 });
    expect(await b.publishEvent(thinking('tu', 'run-t', 11))).toMatchObject({ seq: 12, offset: 12 });
    expect(b.stats().leaseRefusals).toBe(1);
    const stored = await b.replayUser('tu', { epoch: first[0]!.epoch, offset: 0 });
    expect(parse(stored.frames).map((e) => [e.seq, e.offset, e.reasoning])).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, i + 1, `step ${i}`]));
  });

  it("a lean agent_completed ('k') fenced by another instance's append is resent as a full item: gapless, and the run's meta ends as a full one leaves it", async () => {
    const [a, b] = pair();
    for (let i = 0; i < 3; i++) await a.publishEvent(thinking('ku', 'run-k', i));
    expect(a.stats().lightItems).toBe(2);
    // Another instance appends to the user (a run of its own): the user's last writer is b now.
    expect(await b.publishEvent(thinking('ku', 'run-kb', 0))).toMatchObject({ seq: 1, offset: 4 });
    const fin = await a.publishEvent({ userId: 'ku', threadId: 'th-ku', runId: 'run-k', type: 'agent_completed', data: { status: 'success', finalResponse: 'ok' } });
    expect(fin).toMatchObject({ seq: 4, offset: 5 });
    expect(a.stats().lightItems).toBe(3); // sent lean ('k'), refused (b is the writer), resent full
    expect(a.stats().leaseRefusals).toBe(1);
    expect(await raw.hmget(a.keys.runMeta('run-k'), 'user', 'thread', 'seq', 'x')).toEqual(['ku', 'th-ku', '4', '0']);
    expect(await raw.pttl(a.keys.runMeta('run-k'))).toBeLessThanOrEqual(3_600_000);
    const stored = await b.replayUser('ku', { epoch: fin.epoch, offset: 0 });
    expect(parse(stored.frames).map((e) => [e.runId, e.seq, e.offset])).toEqual([
      ['run-k', 1, 1], ['run-k', 2, 2], ['run-k', 3, 3], ['run-kb', 1, 4], ['run-k', 4, 5],
    ]);
  });

  it("the owner check still comes first: a foreign user's publish into a leased run is refused as SSOT_OWNER, and the owner's next event still appends light", async () => {
    const [a] = pair();
    for (let i = 0; i < 3; i++) await a.publishEvent(thinking('ou', 'run-o', i));
    const light = a.stats().lightItems;
    expect(light).toBe(2);
    await expect(a.publishEvent(thinking('intruder', 'run-o', 9))).rejects.toMatchObject({ code: 'ERR_CROSS_USER' });
    expect(await raw.xlen(a.keys.userStream('intruder'))).toBe(0);
    expect(await a.publishEvent(thinking('ou', 'run-o', 3))).toMatchObject({ seq: 4, offset: 4 });
    expect(a.stats().lightItems).toBe(light + 1);
  });

  it("lean entries of one run since a checkpoint name it and the bytes since ('c'): the next checkpoint takes the last entry's word; entries of two runs carry none and are read back — both exact", async () => {
    const [a] = pair();
    const fields = async (userId: string) => (await raw.xrange(a.keys.userStream(userId), '-', '+')).map(([id, f]) => [id, f.length % 4 === 2 && f.at(-2) === 'c' ? f.at(-1) : undefined]);
    const frameBytes = async (userId: string) => (await raw.xrange(a.keys.userStream(userId), '-', '+')).reduce((n, [, f]) => n + Buffer.byteLength(frameOf(f)) + 64, 0);
    for (let i = 0; i < 5; i++) await a.publishEvent(thinking('cu', 'run-c1', i));
    const c = await fields('cu');
    expect(c.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0', '4-0', '5-0']);
    expect(c[0]![1]).toBeUndefined();
    if (defaultLeanAppends === undefined) {
      // Issue 21 redis12: a lean event's entry is compact — 'm' (its channel message piece: header, ids,
      // frame), 't', 'c' — and readers take its run, seq and frame from 'm' (the replay below).
      const entries = await raw.xrange(a.keys.userStream('cu'), '-', '+');
      expect(entries.map(([, f]) => f.filter((_, i) => i % 2 === 0))).toEqual([['j', 'r', 's', 't'], ...Array.from({ length: 4 }, () => ['m', 't', 'c'])]);
      const [, f] = entries[1]!;
      const json = frameOf(f);
      expect(JSON.parse(json)).toMatchObject({ runId: 'run-c1', seq: 2, offset: 2 });
      expect(f[1]).toBe(`2|2|${JSON.parse(json).epoch}|2|6|${Buffer.byteLength(json)}|curun-c1${json}`);
      const replayed = await a.replay('cu', 'run-c1', 1);
      expect(replayed).toMatchObject({ status: 'ok', lastSeq: 5 });
      expect(parse((replayed as { frames: StoredFrame[] }).frames).map((e) => [e.seq, e.offset])).toEqual([[2, 2], [3, 3], [4, 4], [5, 5]]);
    }
    const sizes = (await raw.xrange(a.keys.userStream('cu'), '-', '+')).map(([, f]) => Buffer.byteLength(frameOf(f)) + 64);
    expect(c.slice(1).map(([, v]) => v)).toEqual([2, 3, 4, 5].map((o) => `1:${sizes.slice(1, o).reduce((x, y) => x + y, 0)}`));
    // agent_completed goes lean too (its entry names the checkpoint); the next item through the
    // general path is the checkpoint: here two new runs' first events in one call (a user twice in a
    // call: no lean first event 'n', both full).
    await a.publishEvent({ userId: 'cu', threadId: 'th-cu', runId: 'run-c1', type: 'agent_completed', data: { status: 'success', finalResponse: 'ok' } });
    expect(a.stats().lightItems).toBe(5);
    expect((await fields('cu')).at(-1)).toEqual(['6-0', `1:${sizes.slice(1).reduce((x, y) => x + y, 0) + Buffer.byteLength(frameOf((await raw.xrange(a.keys.userStream('cu'), '6-0', '6-0'))[0]![1])) + 64}`]);
    const [c2, c3] = await Promise.all([a.publishEvent(thinking('cu', 'run-c2', 0)), a.publishEvent(thinking('cu', 'run-c3', 0))]);
    expect([c2, c3]).toMatchObject([{ seq: 1, offset: 7 }, { seq: 1, offset: 8 }]);
    expect(a.stats().lightItems).toBe(5);
    expect(await raw.hmget(a.keys.userMeta('cu'), 'off', 'b')).toEqual(['8', String(await frameBytes('cu'))]);
    expect(await raw.hget(a.keys.userMeta('cu'), 'r:run-c1')).toMatch(/^6:6:/);
    // Two runs of one user in turns (one event per call): the second run's first event goes lean ('n',
    // a new run of a leased user) and names the checkpoint (the first run's first event); after it,
    // entries of either run name none, and the next checkpoint reads them back.
    await a.publishEvent(thinking('cv', 'run-v1', 0));
    await a.publishEvent(thinking('cv', 'run-v2', 0));
    for (let i = 1; i < 4; i++) {
      await a.publishEvent(thinking('cv', 'run-v1', i));
      await a.publishEvent(thinking('cv', 'run-v2', i));
    }
    const v = await fields('cv');
    expect(v.slice(1).map(([, x]) => x)).toEqual(['1:' + (await raw.xrange(a.keys.userStream('cv'), '2-0', '2-0')).map(([, f]) => Buffer.byteLength(frameOf(f)) + 64)[0], undefined, undefined, undefined, undefined, undefined, undefined]);
    await a.publishEvent({ userId: 'cv', threadId: 'th-cv', runId: 'run-v2', type: 'agent_completed', data: { status: 'success', finalResponse: 'ok' } });
    expect((await fields('cv')).at(-1)).toEqual(['9-0', undefined]);
    const [v3, v4] = await Promise.all([a.publishEvent(thinking('cv', 'run-v3', 0)), a.publishEvent(thinking('cv', 'run-v4', 0))]);
    expect([v3, v4]).toMatchObject([{ seq: 1, offset: 10 }, { seq: 1, offset: 11 }]);
    expect(await raw.hmget(a.keys.userMeta('cv'), 'off', 'b')).toEqual(['11', String(await frameBytes('cv'))]);
    expect(await raw.hget(a.keys.userMeta('cv'), 'r:run-v1')).toMatch(/^4:7:/);
    expect(await raw.hget(a.keys.userMeta('cv'), 'r:run-v2')).toMatch(/^5:9:/);
    expect(await a.publishEvent(thinking('cv', 'run-v1', 4))).toMatchObject({ seq: 5, offset: 12 });
  });

  // Issue 21 redis16: lean entries written before compact entries (j, r, s, t, c — as this package wrote
  // them until then, and as 'k' still does; the pipelined mode until redis17) stay readable beside compact ones. The
  // raw XADDs below stand for a writer whose pub/sub copies were lost (see the premise above 'a
  // subscriber never delivers the same offset twice'): the script's lean items only.
  it.skipIf(defaultLeanAppends === 'pipelined')("a stream of lean entries of the earlier form, then compact ones: resume, per-run replay, a subscriber's fill and reconnect catch-up, the next checkpoint and trimming read both", async () => {
    const [a, b] = pair();
    const stream = a.keys.userStream('mx');
    const forms = async () => (await raw.xrange(stream, '-', '+')).map(([id, f]) => `${id} ${f.filter((_, i) => i % 2 === 0).join('')}`);
    const rec = recorder();
    b.subscribe('mx', rec.listener);
    const start = await b.position('mx');
    const first = await a.publishEvent(thinking('mx', 'run-1', 0));
    for (let i = 1; i < 6; i++) await a.publishEvent(thinking('mx', 'run-1', i));
    await rec.waitForEvents(6);
    expect(await forms()).toEqual(['1-0 jrst', '2-0 mtc', '3-0 mtc', '4-0 mtc', '5-0 mtc', '6-0 mtc']);
    // Offsets 2-4 rewritten as the earlier form (same frame, run, seq, time and 'c'): the stream an
    // upgrade in the middle of a run leaves; the writer's lease goes on (its state does not depend on the form).
    const entries = await raw.xrange(stream, '-', '+');
    const ttl = await raw.pttl(stream);
    await raw.del(stream);
    for (const [id, f] of entries) {
      const json = frameOf(f);
      const ev = JSON.parse(json) as EventEnvelope;
      if (ev.offset >= 2 && ev.offset <= 4) await raw.xadd(stream, id, 'j', json, 'r', ev.runId, 's', String(ev.seq), 't', f[3]!, 'c', f[5]!);
      else await raw.xadd(stream, id, ...f);
    }
    await raw.pexpire(stream, ttl);
    for (let i = 6; i < 8; i++) await a.publishEvent(thinking('mx', 'run-1', i));
    expect(await forms()).toEqual(['1-0 jrst', '2-0 jrstc', '3-0 jrstc', '4-0 jrstc', '5-0 mtc', '6-0 mtc', '7-0 mtc', '8-0 mtc']);
    expect(a.stats().leaseRefusals).toBe(0);
    const runOf = (frames: readonly StoredFrame[]) => parse(frames).map((e) => `${e.offset}:${e.runId}#${e.seq}`);
    const oneToEight = Array.from({ length: 8 }, (_, i) => `${i + 1}:run-1#${i + 1}`);
    // Resume (READ_USER_LUA + parseStreamEntries): from the start and from inside the earlier entries.
    expect(runOf((await b.replayUser('mx', start)).frames)).toEqual(oneToEight);
    expect(runOf((await b.replayUser('mx', { epoch: first.epoch, offset: 3 })).frames)).toEqual(oneToEight.slice(3));
    // Per-run replay (READ_RUN_LUA) across the boundary of the two forms.
    const run1 = await b.replay('mx', 'run-1', 2);
    expect(run1).toMatchObject({ status: 'ok', lastSeq: 8 });
    expect(runOf((run1 as { frames: StoredFrame[] }).frames)).toEqual(oneToEight.slice(2));
    // Offsets 9 (earlier form) and 10 (compact, as compact() writes it) appended without pub/sub by a
    // writer of another run: a's next lean item is refused at 9 and resent full, whose checkpoint
    // (recover) reads 2-10 back — both forms, no 'c' on the last —; b fills 9 and 10 from the stream.
    const frameAt = (o: number, run: string, seq: number) =>
      frameOf(entries[0]![1]).replace('"runId":"run-1"', `"runId":"${run}"`).replace('"seq":1,"offset":1', `"seq":${seq},"offset":${o}`).replace('step 0', `x${seq}`);
    const f9 = frameAt(9, 'run-x', 1);
    const f10 = frameAt(10, 'run-x', 2);
    expect(JSON.parse(f10)).toMatchObject({ runId: 'run-x', seq: 2, offset: 10 });
    await raw.xadd(stream, '9-0', 'j', f9, 'r', 'run-x', 's', '1', 't', String(Date.now()));
    await raw.xadd(stream, '10-0', 'm', `10|2|${first.epoch}|2|5|${Buffer.byteLength(f10)}|mxrun-x${f10}`, 't', String(Date.now()));
    expect(await a.publishEvent(thinking('mx', 'run-1', 8))).toMatchObject({ seq: 9, offset: 11 });
    expect(a.stats().leaseRefusals).toBe(1);
    await rec.waitForEvents(11);
    await sleep(50);
    expect(rec.events().map((e) => `${e.offset}:${e.runId}#${e.seq}`)).toEqual([...oneToEight, '9:run-x#1', '10:run-x#2', '11:run-1#9']);
    const all = await raw.xrange(stream, '-', '+');
    const bytes = (list: typeof all) => list.reduce((n, [, f]) => n + Buffer.byteLength(frameOf(f)) + 64, 0);
    expect(await raw.hmget(a.keys.userMeta('mx'), 'off', 'b')).toEqual(['11', String(bytes(all))]);
    expect(Number(await raw.hget(a.keys.sizes, 'mx'))).toBe(bytes(all));
    expect(await raw.hget(a.keys.userMeta('mx'), 'r:run-1')).toMatch(/^9:11:/);
    expect(await a.publishEvent(thinking('mx', 'run-1', 9))).toMatchObject({ seq: 10, offset: 12 });
    await rec.waitForEvents(12);
    // A reconnect's catch-up (CATCH_UP_LUA): offsets 13 (earlier form) and 14 (compact) appended without
    // pub/sub, then b's subscriber connection dropped: it reads them from the stream once reconnected.
    const f13 = frameAt(13, 'run-x', 3);
    const f14 = frameAt(14, 'run-x', 4);
    await raw.xadd(stream, '13-0', 'j', f13, 'r', 'run-x', 's', '3', 't', String(Date.now()));
    await raw.xadd(stream, '14-0', 'm', `14|4|${first.epoch}|2|5|${Buffer.byteLength(f14)}|mxrun-x${f14}`, 't', String(Date.now()));
    await raw.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await rec.waitForEvents(14);
    expect(rec.events().slice(11).map((e) => `${e.offset}:${e.runId}#${e.seq}`)).toEqual(['12:run-1#10', '13:run-x#3', '14:run-x#4']);
    // Trimming (trim(): the bytes of each entry it drops, of either form): an instance with a lower
    // bound appends; the oldest entries go, earlier and compact ones, and the size stays exact.
    const keyPrefix = stream.slice(0, stream.indexOf('user:{'));
    const c = makeBus({ keyPrefix, maxBytesPerUser: bytes(all.slice(6)) + 300 });
    expect(await c.publishEvent(thinking('mx', 'run-c', 0))).toMatchObject({ seq: 1, offset: 15 });
    const kept = await raw.xrange(stream, '-', '+');
    expect(kept.length).toBeLessThan(9);
    expect(Number(kept[0]![0].split('-')[0])).toBeGreaterThan(5);
    expect(await raw.hmget(a.keys.userMeta('mx'), 'off', 'b')).toEqual(['15', String(bytes(kept))]);
    expect(Number(await raw.hget(a.keys.sizes, 'mx'))).toBe(bytes(kept));
    const resumed = await b.replayUser('mx', start);
    expect(resumed).toMatchObject({ status: 'gap', reason: 'trimmed' });
    expect(runOf(resumed.frames).at(-1)).toBe('15:run-c#1');
  });

  it("a lease on data Redis lost (the user's keys gone) is refused, and the event applies in a new epoch with the run's seq continuing", async () => {
    const [a] = pair();
    const before: EventEnvelope[] = [];
    for (let i = 0; i < 3; i++) before.push(await a.publishEvent(thinking('gu', 'run-g', i)));
    await raw.del(a.keys.userMeta('gu'), a.keys.userStream('gu'));
    const after = await a.publishEvent(thinking('gu', 'run-g', 3));
    expect(a.stats().leaseRefusals).toBe(1);
    expect(after).toMatchObject({ seq: 4, offset: 1 });
    expect(after.epoch).not.toBe(before[0]!.epoch);
    expect(await a.publishEvent(thinking('gu', 'run-g', 4))).toMatchObject({ seq: 5, offset: 2, epoch: after.epoch });
  });
});

describe("RedisBus: a new run's first event, lean ('n': a leased user's new run, issue 21 redis11)", () => {
  /** The commands the append script runs (MONITOR, source 'lua') while `fn` runs. */
  async function scriptCommands(fn: () => Promise<unknown>): Promise<string[]> {
    const rec = await recordCommands(raw, (source) => source === 'lua');
    await fn();
    await sleep(50);
    rec.stop();
    return rec.names();
  }
  const completed = (userId: string, runId: string) => ({ userId, threadId: `th-${userId}`, runId, type: 'agent_completed' as const, data: { status: 'success' as const, finalResponse: 'ok' } });

  it("goes lean when its user is leased: writer and run checked, XADD, the run's meta and record written — no checkpoint read, no user position written; the run then goes on lean, delivered, stored and replayable as a full first event leaves it", async () => {
    const [a, b] = pair();
    const rec = recorder();
    b.subscribe('nu', rec.listener);
    await b.position('nu');
    // The user's first run: its first event a full item (no lease yet), the rest lean.
    for (let i = 0; i < 3; i++) await a.publishEvent(thinking('nu', 'run-n1', i));
    await a.publishEvent(completed('nu', 'run-n1'));
    expect(a.stats().lightItems).toBe(3);
    const checkpoint = await raw.hmget(a.keys.userMeta('nu'), 'off', 'b');
    expect(checkpoint[0]).toBe('1');
    let first: EventEnvelope | undefined;
    const cmds = await scriptCommands(async () => (first = await a.publishEvent(thinking('nu', 'run-n2', 0))));
    expect(first).toMatchObject({ runId: 'run-n2', seq: 1, offset: 5, epoch: (await b.position('nu')).epoch });
    expect(a.stats().lightItems).toBe(4);
    expect(a.stats().leaseRefusals).toBe(0);
    // Today's general path would read the checkpoint back (HMGET, XREVRANGE) and write the user's meta.
    expect(cmds.filter((c) => c !== 'time')).toEqual(['hmget', 'exists', 'xadd', 'hset', 'pexpire', 'hset', 'publish']);
    expect(await raw.hmget(a.keys.userMeta('nu'), 'off', 'b')).toEqual(checkpoint);
    // The run's meta as the general path leaves a new run's: owner, thread, seq, where it starts, the next refresh, activeTtl + refresh.
    const [user, thread, seq, fe, fo, x] = await raw.hmget(a.keys.runMeta('run-n2'), 'user', 'thread', 'seq', 'fe', 'fo', 'x');
    expect([user, thread, seq, fe, fo]).toEqual(['nu', 'th-nu', '1', first!.epoch, '5']);
    expect(Number(x)).toBeGreaterThan(Date.now());
    expect(await raw.pttl(a.keys.runMeta('run-n2'))).toBeGreaterThan(24 * 3_600_000);
    // Its record as a light item writes it: seq 1, offset 5, pseq 1.
    expect(await raw.hget(a.keys.userMeta('nu'), 'r:run-n2')).toMatch(/^1:5:0:1:0:[^:]+:th-nu$/);
    const rest = [first!];
    for (let i = 1; i < 4; i++) rest.push(await a.publishEvent(thinking('nu', 'run-n2', i)));
    rest.push(await a.publishEvent(completed('nu', 'run-n2')));
    expect(rest.map((e) => [e.seq, e.offset])).toEqual([[1, 5], [2, 6], [3, 7], [4, 8], [5, 9]]);
    expect(a.stats().lightItems).toBe(8);
    const delivered = await rec.waitForEvents(9);
    expect(delivered.slice(4)).toEqual(rest);
    expect(parse((await b.replayUser('nu', { epoch: first!.epoch, offset: 4 })).frames)).toEqual(rest);
    const perRun = await b.replay('nu', 'run-n2', 0);
    expect(perRun).toMatchObject({ status: 'ok', lastSeq: 5 });
    expect(parse((perRun as { frames: StoredFrame[] }).frames)).toEqual(rest);
    expect(await b.replay('other', 'run-n2', 0)).toEqual({ status: 'unknown' });
    // The next item through the general path (two new runs in one call: a user twice in a call sends
    // no 'n') checkpoints the lean entries, the 'n' one included: offset, size, the run's record.
    await Promise.all([a.publishEvent(thinking('nu', 'run-n3', 0)), a.publishEvent(thinking('nu', 'run-n4', 0))]);
    const all = await raw.xrange(a.keys.userStream('nu'), '-', '+');
    const size = all.reduce((n, [, f]) => n + Buffer.byteLength(frameOf(f)) + 64, 0);
    expect(await raw.hmget(a.keys.userMeta('nu'), 'off', 'b')).toEqual(['11', String(size)]);
    expect(Number(await raw.get(a.keys.bytes))).toBe(size);
    expect(await raw.hget(a.keys.userMeta('nu'), 'r:run-n2')).toMatch(/^5:9:/);
  });

  it("a run another instance already started is refused ('!SSOT_LEASE run') and resent full: its seq continues, no cooldown of the lease", async () => {
    const [a, b] = pair();
    for (let i = 0; i < 2; i++) await a.publishEvent(thinking('ou', 'run-o1', i));
    // b starts run-o2 of the same user (b is the writer now), then a takes the user back: its next item
    // is refused (another writer), resent full, and after the cooldown a full item makes a the writer again.
    expect(await b.publishEvent(thinking('ou', 'run-o2', 0))).toMatchObject({ seq: 1, offset: 3 });
    expect(await a.publishEvent(thinking('ou', 'run-o1', 2))).toMatchObject({ seq: 3, offset: 4 });
    expect(a.stats().leaseRefusals).toBe(1);
    await sleep(1100);
    expect(await a.publishEvent(thinking('ou', 'run-o1', 3))).toMatchObject({ seq: 4, offset: 5 });
    expect(await a.publishEvent(thinking('ou', 'run-o1', 4))).toMatchObject({ seq: 5, offset: 6 });
    const light = a.stats().lightItems;
    expect(light).toBeGreaterThan(0);
    // a's first publish of run-o2 (a new producer of it, pseq 1): sent as 'n', refused — the run has a
    // meta — and resent as a full item, which continues the run's seq (2, not 1).
    expect(await a.publishEvent(thinking('ou', 'run-o2', 1))).toMatchObject({ seq: 2, offset: 7 });
    expect(a.stats().leaseRefusals).toBe(2);
    expect(a.stats().lightItems).toBe(light + 1);
    // No cooldown: the lease is known again after the full resend, and a new run's first event goes lean at once.
    expect(await a.publishEvent(thinking('ou', 'run-o3', 0))).toMatchObject({ seq: 1, offset: 8 });
    expect(a.stats().lightItems).toBe(light + 2);
    expect(a.stats().leaseRefusals).toBe(2);
    expect(await raw.hget(a.keys.runMeta('run-o3'), 'user')).toBe('ou');
    // The run's record (its last writer's) and the stream agree.
    const stored = parse((await a.replayUser('ou', { epoch: (await a.position('ou')).epoch, offset: 0 })).frames);
    expect(stored.map((e) => [e.runId, e.seq, e.offset])).toEqual([
      ['run-o1', 1, 1], ['run-o1', 2, 2], ['run-o2', 1, 3], ['run-o1', 3, 4], ['run-o1', 4, 5], ['run-o1', 5, 6], ['run-o2', 2, 7], ['run-o3', 1, 8],
    ]);
  });

  it("a run id another user owns: 'n' refused, the full resend answers SSOT_OWNER; a run id whose meta expired but whose record the user keeps continues its seq", async () => {
    const [a] = pair();
    await a.publishEvent(thinking('xu', 'run-x1', 0));
    await a.publishEvent(thinking('xv', 'run-shared', 0));
    await a.publishEvent(thinking('xu', 'run-x1', 1));
    await expect(a.publishEvent(thinking('xu', 'run-shared', 0))).rejects.toThrow(/run-shared/);
    expect(await raw.hget(a.keys.runMeta('run-shared'), 'user')).toBe('xv');
    // run-x1's meta gone (expired) while xu's meta keeps its record: a new producer of run-x1 (another
    // thread's context) is refused as 'n' and resent full, which continues the record's seq.
    await raw.del(a.keys.runMeta('run-x1'));
    const other = { ...thinking('xu', 'run-x1', 2), threadId: 'th-other' };
    expect(await a.publishEvent(other)).toMatchObject({ runId: 'run-x1', seq: 3 });
  });

  it("fenced like any lean item: another instance's append (the writer) and a stream gone (NOMKSTREAM) refuse it, resent full at the right offset", async () => {
    const [a, b] = pair();
    for (let i = 0; i < 2; i++) await a.publishEvent(thinking('fu', 'run-f1', i));
    await b.publishEvent(thinking('fu', 'run-fb', 0)); // b appends offset 3: a's lease is fenced by 'w'
    expect(await a.publishEvent(thinking('fu', 'run-f2', 0))).toMatchObject({ seq: 1, offset: 4 });
    expect(a.stats().leaseRefusals).toBe(1);
    expect(await raw.hget(a.keys.runMeta('run-f2'), 'user')).toBe('fu');
    // The stream gone (a writer still named): NOMKSTREAM refuses the lean XADD, nothing of the run is written.
    const [c] = pair();
    for (let i = 0; i < 2; i++) await c.publishEvent(thinking('gu', 'run-g1', i));
    await raw.del(c.keys.userStream('gu'));
    const e = await c.publishEvent(thinking('gu', 'run-g2', 0));
    expect(e).toMatchObject({ runId: 'run-g2', seq: 1 });
    expect(c.stats().leaseRefusals).toBe(1);
    expect(parse((await c.replayUser('gu', { epoch: e.epoch, offset: e.offset - 1 })).frames)).toEqual([e]);
  });

  it("a user that does not exist yet goes the general path (a full item: its meta, epoch and size created); so does a new run behind another item of its user in flight", async () => {
    const [a] = pair();
    const cmds = await scriptCommands(() => a.publishEvent(thinking('zu', 'run-z1', 0)));
    // The general path: the user's meta read (none) and created, a new stream and epoch — not first()'s EXISTS of the run.
    expect(cmds).toContain('del');
    expect(cmds).not.toContain('exists');
    expect(a.stats().lightItems).toBe(0);
    const [epoch, off] = await raw.hmget(a.keys.userMeta('zu'), 'epoch', 'off');
    expect(off).toBe('1');
    expect(epoch).toMatch(/^[a-z0-9]+$/);
    expect(Number(await raw.hget(a.keys.sizes, 'zu'))).toBeGreaterThan(0);
    // Two new runs of the user in one call: both full (never 'n' in a call holding its user twice).
    const two = await Promise.all([a.publishEvent(thinking('zu', 'run-z2', 0)), a.publishEvent(thinking('zu', 'run-z3', 0))]);
    expect(two.map((e) => [e.seq, e.offset])).toEqual([[1, 2], [1, 3]]);
    expect(a.stats().lightItems).toBe(0);
    expect(await raw.hget(a.keys.userMeta('zu'), 'off')).toBe('3');
  });
});

describe("RedisBus: pipelined lean appends (leanAppends 'pipelined': plain XADD + PUBLISH, no script per event)", () => {
  /** Top-level commands (not run by a script) Redis executes meanwhile, as MONITOR reports them. */
  const monitor = () => recordCommands(raw, (source) => source !== 'lua');

  it('lockstep runs of several users: lean items are plain XADDs ahead of one script call per round; offsets, seqs, stored and delivered bytes as the script path makes them', async () => {
    const [a, b] = pair({ leanAppends: 'pipelined' });
    const [s1, s2] = pair({ leanAppends: 'script' });
    const users = ['pa', 'pb', 'pc'];
    const recs = users.map(() => recorder());
    users.forEach((u, i) => b.subscribe(u, recs[i]!.listener));
    await Promise.all(users.map((u) => b.position(u)));
    const mon = await monitor();
    const rounds = async (bus: RedisBus) => {
      const got: EventEnvelope[][] = users.map(() => []);
      for (let i = 0; i < 8; i++) {
        const round = await Promise.all(users.map((u) => bus.publishEvent(thinking(u, `run-${u}`, i))));
        round.forEach((e, j) => got[j]!.push(e));
      }
      return got;
    };
    const got = await rounds(a);
    await sleep(50);
    mon.stop();
    // The first event of each run is a full item (its owner checked); the other 7 per user go lean.
    expect(a.stats().lightItems).toBe(21);
    expect(a.stats().leaseRefusals).toBe(0);
    expect(mon.names().filter((n) => n === 'xadd')).toHaveLength(21);
    expect(mon.names().filter((n) => n === 'evalsha' || n === 'eval')).toHaveLength(8);
    for (let j = 0; j < users.length; j++) {
      expect(got[j]!.map((e) => [e.seq, e.offset])).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, i + 1]));
      const delivered = await recs[j]!.waitForEvents(8);
      expect(delivered.map((e) => [e.seq, e.offset, e.reasoning])).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, i + 1, `step ${i}`]));
      const stored = await b.replayUser(users[j]!, { epoch: got[j]![0]!.epoch, offset: 0 });
      expect(stored.status).toBe('ok');
      const bytes = recs[j]!.deliveries.flatMap((d) => (d.kind === 'event' ? [frameString(d.text)] : []));
      expect(stored.frames.map((f) => frameString(f.text))).toEqual(bytes);
      // Each lean entry names the checkpoint (offset 1, the run's first event) and the lean bytes since:
      // the next checkpoint reads that from the last entry instead of reading the entries back.
      // The lean entries are compact ones, as the script's lean items write them (issue 21 redis17: 'j', 'r', 's' before).
      const entries = await raw.xrange(a.keys.userStream(users[j]!), '-', '+');
      expect(entries.map(([id, f]) => [id, f.filter((_, i) => i % 2 === 0)])).toEqual(
        Array.from({ length: 8 }, (_, i) => [`${i + 1}-0`, i === 0 ? ['j', 'r', 's', 't'] : ['m', 't', 'c']]),
      );
      let lean = 0;
      for (const [, f] of entries.slice(1)) {
        lean += Buffer.byteLength(frameOf(f)) + 64;
        expect(f[5]).toBe(`1:${lean}`);
      }
    }
    // The same rounds through the script path (another prefix) store the same frames, ts aside.
    const viaScript = await rounds(s1);
    const norm = (e: EventEnvelope) => ({ ...e, ts: 0, epoch: '' });
    expect(viaScript.map((es) => es.map(norm))).toEqual(got.map((es) => es.map(norm)));
    const scriptFrames = await s2.replayUser('pa', { epoch: viaScript[0]![0]!.epoch, offset: 0 });
    const strip = (f: StoredFrame) => frameString(f.text).replace(/"epoch":"[a-z0-9]+","ts":\d+/, '');
    const pipelinedFrames = await b.replayUser('pa', { epoch: got[0]![0]!.epoch, offset: 0 });
    expect(scriptFrames.frames.map(strip)).toEqual(pipelinedFrames.frames.map(strip));
    // A per-run replay and the position read the lean entries after the checkpoint.
    expect(await b.replay('pb', 'run-pb', 5)).toMatchObject({ status: 'ok', lastSeq: 8 });
    expect(await a.position('pc')).toEqual({ epoch: got[2]![0]!.epoch, offset: 8 });
    // A run's last event goes lean through the script ('k': it writes the run's meta), never ahead of it.
    const calls = await monitor();
    const fin = await a.publishEvent({ userId: 'pa', threadId: 'th-pa', runId: 'run-pa', type: 'agent_completed', data: { status: 'success', finalResponse: 'ok' } });
    await sleep(50);
    calls.stop();
    expect(fin).toMatchObject({ seq: 9, offset: 9 });
    expect(calls.names().filter((n) => n === 'xadd')).toHaveLength(0);
    expect(a.stats().lightItems).toBe(22);
    expect(await raw.hmget(a.keys.runMeta('run-pa'), 'seq', 'x')).toEqual(['9', '0']);
    // The checkpoint (the next item through the general path: here two new runs' first events in one
    // call — a user twice in a call sends no lean first event 'n') from the last entry alone: the user's
    // offset, size and the run's record as reading every entry back makes them.
    expect(await Promise.all([a.publishEvent(thinking('pa', 'run-pa2', 0)), a.publishEvent(thinking('pa', 'run-pa3', 0))])).toMatchObject([{ seq: 1, offset: 10 }, { seq: 1, offset: 11 }]);
    const all = await raw.xrange(a.keys.userStream('pa'), '-', '+');
    const size = all.reduce((n, [, f]) => n + Buffer.byteLength(frameOf(f)) + 64, 0);
    expect(await raw.hmget(a.keys.userMeta('pa'), 'off', 'b')).toEqual(['11', String(size)]);
    expect(Number(await raw.hget(a.keys.sizes, 'pa'))).toBe(size);
    expect(await raw.hget(a.keys.userMeta('pa'), 'r:run-pa')).toMatch(/^9:9:/);
    expect(await b.replay('pa', 'run-pa', 7)).toMatchObject({ status: 'ok', lastSeq: 9 });
  });

  it("a lean item refused because another instance appended at its offset is resent as a full item; the frame it published is never delivered — every subscriber delivers exactly the stored frames", async () => {
    const [a, b] = pair({ leanAppends: 'pipelined' });
    const c = makeBus({ keyPrefix: a.keys.prefix, leanAppends: 'pipelined' });
    const rec = recorder();
    b.subscribe('ru', rec.listener);
    await b.position('ru');
    for (let i = 0; i < 3; i++) await a.publishEvent(thinking('ru', 'run-a', i)); // offsets 1..3, 2 and 3 lean
    expect(a.stats().lightItems).toBe(2);
    // Another instance appends the user's next offset (a full item: atomic with its publish).
    expect(await c.publishEvent(thinking('ru', 'run-c', 0))).toMatchObject({ seq: 1, offset: 4 });
    // a still predicts offset 4: its XADD is refused, the frame it published for 4 is dropped as a
    // duplicate offset everywhere (c's came first), and the event is resent as a full item at 5.
    expect(await a.publishEvent(thinking('ru', 'run-a', 3))).toMatchObject({ seq: 4, offset: 5 });
    expect(a.stats().leaseRefusals).toBe(1);
    // A subscriber that starts now reads the same.
    const late = recorder();
    const d = makeBus({ keyPrefix: a.keys.prefix, leanAppends: 'pipelined' });
    d.subscribe('ru', late.listener);
    await d.position('ru');
    expect(await a.publishEvent(thinking('ru', 'run-a', 4))).toMatchObject({ seq: 5, offset: 6 });
    await rec.waitForEvents(6);
    await late.waitForEvents(1);
    await sleep(100);
    const stored = await b.replayUser('ru', { epoch: rec.events()[0]!.epoch, offset: 0 });
    expect(parse(stored.frames).map((e) => [e.offset, e.runId, e.seq])).toEqual([
      [1, 'run-a', 1], [2, 'run-a', 2], [3, 'run-a', 3], [4, 'run-c', 1], [5, 'run-a', 4], [6, 'run-a', 5],
    ]);
    const bytes = rec.deliveries.flatMap((d) => (d.kind === 'event' ? [frameString(d.text)] : []));
    expect(bytes).toEqual(stored.frames.map((f) => frameString(f.text)));
    expect(late.events().map((e) => e.offset)).toEqual([6]);
  });

  it('a lost connection ends every lease: after a Redis restart without its data, another instance starts the user anew and the former holder continues in that epoch (no lean append at its old offset)', async () => {
    const [a, c] = pair({ leanAppends: 'pipelined' });
    const before: EventEnvelope[] = [];
    for (let i = 0; i < 4; i++) before.push(await a.publishEvent(thinking('lu', 'run-l', i)));
    expect(a.stats().lightItems).toBe(3);
    await sleep(50); // the last answer confirmed (an idle PING): nothing is replayed after the restart
    await redis.stop('SIGKILL');
    await redis.start();
    await waitUntil(() => a.stats().connected && c.stats().connected);
    // c starts the user again: a new epoch from offset 1 (the data is gone).
    const fresh = [await c.publishEvent(thinking('lu', 'run-c', 0)), await c.publishEvent(thinking('lu', 'run-c', 1))];
    expect(fresh.map((e) => e.offset)).toEqual([1, 2]);
    // a's lease (offset 4 in the old epoch) ended with its connection: it appends at 3 of c's epoch,
    // not at 5 (which XADD would accept above 2), and its run's seq continues.
    const next = await a.publishEvent(thinking('lu', 'run-l', 4));
    expect(next).toMatchObject({ seq: 5, offset: 3, epoch: fresh[0]!.epoch });
    expect(await a.publishEvent(thinking('lu', 'run-l', 5))).toMatchObject({ seq: 6, offset: 4, epoch: fresh[0]!.epoch });
    const entries = await raw.xrange(a.keys.userStream('lu'), '-', '+');
    expect(entries.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0', '4-0']);
    expect(before[0]!.epoch).not.toBe(fresh[0]!.epoch);
  });

  it('a call holding a message keeps the script path for its lean items (order against the user\'s message), and the option is checked', async () => {
    const [a, b] = pair({ leanAppends: 'pipelined' });
    const rec = recorder();
    b.subscribe('mu', rec.listener);
    await b.position('mu');
    await a.publishEvent(thinking('mu', 'run-m', 0));
    const mon = await monitor();
    const [e1, n] = await Promise.all([
      a.publishEvent(thinking('mu', 'run-m', 1)),
      a.publishToUser('mu', { type: 'note', text: 'between' }),
    ]);
    mon.stop();
    expect(e1).toMatchObject({ seq: 2, offset: 2 });
    expect(n).toBe(1);
    expect(mon.names().filter((x) => x === 'xadd')).toHaveLength(0);
    await rec.waitForEvents(2);
    await waitUntil(() => rec.deliveries.length === 3);
    expect(rec.deliveries.map((d) => d.kind)).toEqual(['event', 'event', 'message']);
    expect(() => new RedisBus({ url: redis.url, leanAppends: 'fast' as never })).toThrow(/leanAppends must be 'script' or 'pipelined'/);
  });

  it("'pipelined' finds the installed ioredis' command queue it pushes its replies' slots onto (absent: the bus refuses the mode)", async () => {
    const client = new Redis(redis.url, { lazyConnect: true });
    try {
      expect(commandQueueOf(client)).toBeDefined();
      expect(commandQueueOf({} as unknown as Redis)).toBeUndefined();
      expect(commandQueueOf({ commandQueue: {} } as unknown as Redis)).toBeUndefined();
    } finally {
      client.disconnect();
    }
  });
});

describe("RedisBus: packs (a user's light items of one call in one stream entry)", () => {
  /** Rounds of lockstep events for `runs` runs of one user, each round's publishes in one tick (one call). */
  async function rounds(bus: RedisBus, userId: string, runs: number, count: number, tag = 'run-p'): Promise<EventEnvelope[]> {
    const got: EventEnvelope[] = [];
    for (let i = 0; i < count; i++) {
      got.push(...(await Promise.all(Array.from({ length: runs }, (_, r) => bus.publishEvent({ ...thinking(userId, `${tag}${r}`, i), threadId: `th-${r}` })))));
    }
    return got;
  }

  it("a user's runs in lockstep share one entry per call: frames, offsets and seqs as single appends make them, delivered in offset order; a resume from every offset — inside a pack too — gets exactly what follows", async () => {
    const [a, b] = pair();
    const rec = recorder();
    b.subscribe('pk', rec.listener);
    await b.position('pk');
    const got = await rounds(a, 'pk', 4, 6);
    // The first round goes full (each run's first event), the next one's first item too (no lease known
    // until its answer): the rest are light, in packs of the user's 4 runs.
    expect(a.stats().packedItems).toBeGreaterThanOrEqual(16);
    expect(got.map((e) => e.offset).sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    for (let r = 0; r < 4; r++) expect(got.filter((e) => e.runId === `run-p${r}`).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const entries = await raw.xrange(a.keys.userStream('pk'), '-', '+');
    expect(entries.length).toBeLessThan(24);
    const packs = entries.filter(([, f]) => f.includes('n'));
    expect(packs.length).toBeGreaterThan(0);
    // A pack's id is its last offset; it holds n frames joined by a newline.
    for (const [id, f] of packs) {
      const n = Number(f[f.indexOf('n') + 1]);
      const frames = f[f.indexOf('j') + 1]!.split('\n').map((j) => JSON.parse(j) as EventEnvelope);
      expect(frames.length).toBe(n);
      expect(frames.map((e) => e.offset)).toEqual(Array.from({ length: n }, (_, k) => Number(id.split('-')[0]) - n + 1 + k));
    }
    const byOffset = [...got].sort((x, y) => x.offset - y.offset);
    expect(await rec.waitForEvents(24)).toEqual(byOffset);
    const epoch = got[0]!.epoch;
    for (let from = 0; from <= 24; from++) {
      const replay = await b.replayUser('pk', { epoch, offset: from });
      expect(replay.status, `from ${from}`).toBe('ok');
      expect(parse(replay.frames), `from ${from}`).toEqual(byOffset.slice(from));
    }
    for (let r = 0; r < 4; r++) {
      for (let after = 0; after <= 6; after++) {
        const replay = await b.replay('pk', `run-p${r}`, after);
        expect(replay).toMatchObject({ status: 'ok', lastSeq: 6 });
        expect(parse((replay as { frames: StoredFrame[] }).frames)).toEqual(got.filter((e) => e.runId === `run-p${r}` && e.seq > after));
      }
    }
    expect(await b.replay('other', 'run-p1', 0)).toEqual({ status: 'unknown' });
    expect(await b.position('pk')).toEqual({ epoch, offset: 24 });
    // Once checkpointed (full items: two new runs' first events in one call — a user twice in a call
    // sends no lean first event 'n'), the user's size and the total count each frame of a pack as a
    // single entry would (frame + 64).
    const last = await Promise.all([a.publishEvent(thinking('pk', 'run-pz', 0)), a.publishEvent(thinking('pk', 'run-py', 0))]);
    const bytes = [...byOffset, ...last].reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 64, 0);
    expect(Number(await raw.hget(a.keys.sizes, 'pk'))).toBe(bytes);
    expect(Number(await raw.get(a.keys.bytes))).toBe(bytes);
  });

  it('packs keep the bounds: trimmed whole by bytes with the size exact; a resume from before them is a trimmed gap whose frames start at a pack\'s first offset', async () => {
    const [a] = pair({ maxBytesPerUser: 3000 });
    const got = await rounds(a, 'pt', 3, 30);
    expect(a.stats().packedItems).toBeGreaterThan(60);
    const byOffset = [...got].sort((x, y) => x.offset - y.offset);
    const replay = await a.replayUser('pt', { epoch: got[0]!.epoch, offset: 0 });
    if (replay.status !== 'gap') throw new Error(`expected a gap, got ${replay.status}`);
    expect(replay.reason).toBe('trimmed');
    const frames = parse(replay.frames);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames).toEqual(byOffset.slice(byOffset.length - frames.length));
    expect(replay.availableFrom).toBe(frames[0]!.offset);
    const stored = frames.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 64, 0);
    expect(stored).toBeLessThanOrEqual(3000 + 3 * 400);
    expect(Number(await raw.hget(a.keys.sizes, 'pt'))).toBe(stored);
    expect(Number(await raw.get(a.keys.bytes))).toBe(stored);
    // The runs that lost events are named, with the first seq still stored.
    expect(replay.runs.map((r) => r.runId).sort()).toEqual(['run-p0', 'run-p1', 'run-p2']);
    for (const r of replay.runs) expect(r.availableFrom).toBe(frames.find((e) => e.runId === r.runId)!.seq);
  });

  it('a pack is checked as its items would be and applies whole or not at all; its refused items are resent as full items, gapless', async () => {
    const prefix = `t${++prefixCounter}:`;
    const k = redisKeys(prefix);
    const globals = (writer: string) => ['ep1', 1 << 20, 60_000, 1 << 24, 60_000, 60_000, 100, prefix, 64, 15_000, writer];
    const head = (run: string) => `{"type":"agent_thinking","runId":"${run}","threadId":"th","userId":"u"`;
    const rest = '","ts":1,"reasoning":"r"}';
    const full = (run: string, producer: string, pseq: number) => ['e', 'u', 'th', run, producer, pseq, pseq - 1, 0, head(run), rest, '0'];
    /** A pack of `runs` (each at `seq`, producer p<run>) after offset `base`; `prev[i]`: each run's expected record. */
    // kind 'p': lean (the writer check and XADD only); 'P': through the general path (every check).
    const pack = (runs: string[], base: number, seq: number, prev: string[], epoch = 'ep1', kind = 'p') => {
      const frames = runs.map((run, i) => `${head(run)},"seq":${seq},"offset":${base + 1 + i},"epoch":"${epoch}${rest}`);
      const message = frames.map((json, i) => `${base + 1 + i}|${seq}|${epoch}|1|${runs[i]!.length}|${Buffer.byteLength(json)}|u${runs[i]}${json}`).join('');
      const members = runs.flatMap((run, i) => [run, prev[i]!, `${seq}:${base + 1 + i}:0:${seq}:0:p${run}:th`]);
      return [kind, 'u', epoch, base, base + runs.length, runs.length, frames.join('\n'), runs.map(() => seq).join(','), '0', message, ...members];
    };
    const call = async (writer: string, ...items: (string | number)[][]): Promise<string[]> =>
      String(await raw.eval(APPEND_BATCH_LUA, 3, k.streams, k.sizes, k.bytes, ...globals(writer), ...items.flat())).split('\n');
    expect(await call('w1', full('ra', 'pra', 1), full('rb', 'prb', 1), full('rc', 'prc', 1))).toEqual(['1:1:ep1', '1:2:ep1', '1:3:ep1']);
    const meta = async () => [await raw.xlen(k.userStream('u')), await raw.hget(k.userMeta('u'), 'off')];
    // Through the general path ('P'): one run's record not its producer's previous publish, a stale
    // offset, another epoch: refused whole, nothing written. Lean ('p'): another writer's: the same.
    expect(await call('w1', pack(['ra', 'rb', 'rc'], 3, 2, ['', '1:2:0:1:0:pzz:th', ''], 'ep1', 'P'))).toEqual(Array(3).fill('!SSOT_LEASE'));
    expect(await call('w1', pack(['ra', 'rb', 'rc'], 2, 2, ['', '', ''], 'ep1', 'P'))).toEqual(Array(3).fill('!SSOT_LEASE'));
    expect(await call('w1', pack(['ra', 'rb', 'rc'], 3, 2, ['', '', ''], 'ep0', 'P'))).toEqual(Array(3).fill('!SSOT_LEASE'));
    expect(await call('w2', pack(['ra', 'rb', 'rc'], 3, 2, ['', '', '']))).toEqual(Array(3).fill('!SSOT_LEASE'));
    expect(await meta()).toEqual([3, '3']);
    // The right one applies as one entry, its answer a line per item, amid others' items in the same call.
    expect(await call('w1', pack(['ra', 'rb'], 3, 2, ['', '']), full('rz', 'prz', 1))).toEqual(['+', '+', '1:6:ep1']);
    expect(await meta()).toEqual([5, '6']);
    expect(await raw.hmget(k.userMeta('u'), 'r:ra', 'r:rb')).toEqual(['2:4:0:2:0:pra:th', '2:5:0:2:0:prb:th']);
    expect((await raw.xrange(k.userStream('u'), '5-0', '5-0'))[0]![1]).toEqual(['j', expect.stringContaining('\n'), 'r', 'ra\nrb', 's', '2,2', 't', expect.any(String), 'n', '2']);
    // A lean pack at an offset taken: XADD refuses its id, refused whole, the writer revoked.
    expect(await call('w1', pack(['ra', 'rb'], 6, 3, ['', '']))).toEqual(['+', '+']);
    expect(await call('w1', pack(['ra', 'rb'], 7, 4, ['', '']))).toEqual(Array(2).fill('!SSOT_LEASE'));
    expect(await raw.hget(k.userMeta('u'), 'w')).toBeNull();
    expect(await raw.xlen(k.userStream('u'))).toBe(6);

    // Through the bus: another instance takes the user's lease between two rounds; the holder's next
    // pack is refused and its items resent as full items: every run's seq and the user's offsets gapless.
    const [a, c] = pair();
    const rec = recorder();
    a.subscribe('pf', rec.listener);
    await a.position('pf');
    const got = await rounds(a, 'pf', 3, 3);
    expect(a.stats().packedItems).toBeGreaterThan(0);
    got.push(await c.publishEvent({ ...thinking('pf', 'run-c', 0), threadId: 'th-c' }));
    // The runs continue at seq 4..6 (rounds() numbers its steps from 0 again; the bus assigns the seqs).
    got.push(...(await rounds(a, 'pf', 3, 3)));
    expect(a.stats().leaseRefusals).toBeGreaterThan(0);
    for (let r = 0; r < 3; r++) expect(got.filter((e) => e.runId === `run-p${r}`).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(got.map((e) => e.offset).sort((x, y) => x - y)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    const delivered = await rec.waitForEvents(19);
    expect(delivered.map((e) => e.offset)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(parse((await a.replayUser('pf', { epoch: got[0]!.epoch, offset: 0 })).frames)).toEqual(delivered);
  });

  it('a crash between packs: an acknowledged pack is replayed once Redis is back, each event with its seq; the runs and the stream go on gapless in a new epoch', async () => {
    const [a, b] = pair();
    const rec = recorder();
    b.subscribe('pc', rec.listener);
    await Promise.all([a.ready(), b.position('pc')]);
    const before = await rounds(a, 'pc', 3, 4);
    expect(a.stats().packedItems).toBeGreaterThan(0);
    await rec.waitForEvents(12);
    // Killed right after a pack's reply: its copies may have died with Redis; the bus replays each run's last event.
    await redis.stop('SIGKILL');
    await redis.start();
    const after: EventEnvelope[] = [];
    for (let i = 4; i < 8; i++) after.push(...(await Promise.all([0, 1, 2].map((r) => a.publishEvent({ ...thinking('pc', `run-p${r}`, i), threadId: `th-${r}` })))));
    for (let r = 0; r < 3; r++) {
      expect(before.filter((e) => e.runId === `run-p${r}`).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(after.filter((e) => e.runId === `run-p${r}`).map((e) => e.seq)).toEqual([5, 6, 7, 8]);
    }
    const epoch = after[0]!.epoch;
    expect(epoch).not.toBe(before[0]!.epoch);
    // The new epoch: the replayed events (each run's seq 4, at most one per run) then the runs' next ones, offsets gapless.
    const stored = await b.replayUser('pc', { epoch, offset: 0 });
    const frames = parse(stored.frames);
    expect(frames.map((e) => e.offset)).toEqual(Array.from({ length: frames.length }, (_, i) => i + 1));
    expect(frames.length).toBeGreaterThanOrEqual(12);
    expect(frames.length).toBeLessThanOrEqual(15);
    expect(frames.slice(-12)).toEqual([...after].sort((x, y) => x.offset - y.offset));
    for (const e of frames.slice(0, -12)) expect(e.seq).toBe(4);
    // The subscriber followed the new epoch: every run's seqs 1..8 reached it, a replayed one at most twice.
    await waitUntil(() => rec.events().filter((e) => e.epoch === epoch).length >= frames.length);
    for (let r = 0; r < 3; r++) {
      const seqs = [...new Set(rec.events().filter((e) => e.runId === `run-p${r}`).map((e) => e.seq))];
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });
});

describe('RedisBus: Redis outage', () => {
  it('buffers publishes while Redis is down and flushes them in order, seq continuing without a gap', async () => {
    const [a, b] = pair();
    const rec = recorder();
    b.subscribe('kim', rec.listener);
    await Promise.all([a.ready(), b.position('kim')]);
    const pings = async () => Number(/cmdstat_ping:calls=(\d+)/.exec(await raw.info('commandstats'))?.[1] ?? 0);
    const pinged = await pings();
    for (let i = 0; i < 3; i++) await a.publishEvent(thinking('kim', 'run-out', i));
    await rec.waitForEvents(3);
    // Event 3 confirmed (the bus's PING after its answer was answered): else it is rightly replayed
    // after the crash, and delivered twice (the client drops it by seq) — on a loaded machine, often.
    await waitUntil(async () => (await pings()) > pinged);
    await sleep(20);
    await redis.stop('SIGKILL');
    const pending = Array.from({ length: 20 }, (_, i) => a.publishEvent(thinking('kim', 'run-out', 3 + i)));
    await sleep(100);
    expect(a.stats()).toMatchObject({ connected: false, buffered: 20 });
    await redis.start();
    const flushed = await Promise.all(pending);
    expect(flushed.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 4));
    const events = await rec.waitForEvents(23, 15_000);
    await sleep(100);
    expect(rec.events().map((e) => e.seq)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(events.map((e) => e.reasoning)).toEqual(Array.from({ length: 23 }, (_, i) => `step ${i}`));
    // Redis ran without persistence: 1..3 died with it, and replay says so instead of inventing them.
    expect(await a.replay('kim', 'run-out', 0)).toMatchObject({ status: 'gap', fromSeq: 1, availableFrom: 4, lastSeq: 23 });
    // The user's stream is a new epoch after the loss; the subscriber followed it.
    const after = rec.events();
    expect(after[3]!.epoch).not.toBe(after[0]!.epoch);
  });

  it('an event acknowledged just before a crash (Redis writes its pub/sub copies after the reply) is appended again, with its seq; a confirmed one is not', async () => {
    const [a, b] = pair();
    await Promise.all([a.ready(), b.ready()]);
    // Killed right after the reply, before anything else reached Redis: its pub/sub copies may have died with it.
    await a.publishEvent(thinking('lee', 'run-crash', 0));
    await redis.stop('SIGKILL');
    await redis.start();
    const second = await a.publishEvent(thinking('lee', 'run-crash', 1));
    expect(second.seq).toBe(2);
    const r1 = await b.replay('lee', 'run-crash', 0);
    if (r1.status !== 'ok') throw new Error(`replay: ${JSON.stringify(r1)}`);
    expect(parse(r1.frames).map((e) => [e.seq, e.reasoning])).toEqual([[1, 'step 0'], [2, 'step 1']]);

    // Confirmed (Redis answered a later call, so that reply's pass, pub/sub writes included, was
    // over): lost with Redis's data like any stored event, and not sent again.
    await waitUntil(() => a.stats().connected);
    await a.publishEvent(thinking('lee', 'run-confirmed', 0));
    await sleep(50);
    await redis.stop('SIGKILL');
    await redis.start();
    expect((await a.publishEvent(thinking('lee', 'run-confirmed', 1))).seq).toBe(2);
    expect(await b.replay('lee', 'run-confirmed', 0)).toMatchObject({ status: 'gap', fromSeq: 1, availableFrom: 2, lastSeq: 2 });
  });

  it('refuses with BusUnavailableError("buffer-full") beyond the bound and drops nothing accepted', async () => {
    const [a] = pair({ maxBufferedPublishes: 5 });
    await a.ready();
    await a.publishEvent(thinking('lee', 'run-full', 0));
    await redis.stop('SIGKILL');
    const accepted = Array.from({ length: 5 }, (_, i) => a.publishEvent(thinking('lee', 'run-full', 1 + i)));
    const refused = a.publishEvent(thinking('lee', 'run-full', 99));
    await expect(refused).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(refused).rejects.toMatchObject({ reason: 'buffer-full' });
    await redis.start();
    expect((await Promise.all(accepted)).map((e) => e.seq)).toEqual([2, 3, 4, 5, 6]);
  });

  it('close() rejects publishes still waiting for Redis with BusUnavailableError("closed")', async () => {
    const [a] = pair();
    await a.ready();
    await redis.stop('SIGKILL');
    try {
      const pending = a.publishEvent(thinking('max', 'run-close', 0));
      await a.close();
      await expect(pending).rejects.toMatchObject({ reason: 'closed' });
      await expect(a.publishEvent(thinking('max', 'run-close', 1))).rejects.toMatchObject({ reason: 'closed' });
    } finally {
      await redis.start();
    }
  });
});

describe('RedisBus with ConnectionHub and createBusFromEnv', () => {
  it('emitNow on a Redis hub returns emit\'s promise (resolving to the envelope, refusals as rejections), in one order with emit', async () => {
    const [busA, busB] = pair();
    const hubA = new ConnectionHub({ bus: busA });
    const hubB = new ConnectionHub({ bus: busB });
    const frames: string[] = [];
    hubA.addConnection({ connectionId: 'c1', userId: 'ola', socket: { send: (d) => void frames.push(d), readyState: 1 }, connectedAt: new Date() });
    await hubA.position('ola');
    const m = createWebSocketManager(createUserExecutionContext({ userId: 'ola', threadId: 'th-ola', runId: 'run-now' }), { hub: hubB });
    const started = m.emitNow('agent_started', { agentName: 'triage' });
    expect(started).toBeInstanceOf(Promise); // an asynchronous bus: not delivered yet, so a promise
    const thinking = m.emitNow('agent_thinking', { reasoning: 'r' }); // not awaited: queued behind the first
    const refused = m.emitNow('agent_started', { agentName: 'again' });
    await expect(refused).rejects.toMatchObject({ code: 'ERR_EVENT_ORDER' });
    expect(await started).toMatchObject({ type: 'agent_started', seq: 1, userId: 'ola' });
    expect(await thinking).toMatchObject({ type: 'agent_thinking', seq: 2 });
    await m.emit('agent_completed', { status: 'success', finalResponse: 'ok' });
    await waitUntil(() => frames.length === 3);
    expect(frames.map((f) => (JSON.parse(f) as EventEnvelope).seq)).toEqual([1, 2, 3]);
    await hubA.close();
    await hubB.close();
  });

  it('a manager on hub B reaches a socket held by hub A', async () => {
    const [busA, busB] = pair();
    const hubA = new ConnectionHub({ bus: busA });
    const hubB = new ConnectionHub({ bus: busB });
    const frames: string[] = [];
    const socket: SocketLike = { send: (d) => void frames.push(d), readyState: 1 };
    hubA.addConnection({ connectionId: 'c1', userId: 'nia', socket, connectedAt: new Date() });
    await hubA.position('nia');
    const m = createWebSocketManager(createUserExecutionContext({ userId: 'nia', threadId: 'th-nia', runId: 'run-hub' }), { hub: hubB });
    await m.emit('agent_started', { agentName: 'triage' });
    await m.emit('agent_thinking', { reasoning: 'r' });
    await m.emit('tool_executing', { toolName: 'search', parameters: { q: 1 } });
    await m.emit('tool_completed', { toolName: 'search', results: [1], durationMs: 3 });
    await m.emit('agent_completed', { status: 'success', finalResponse: 'ok' });
    await waitUntil(() => frames.length === 5);
    const got = frames.map((f) => JSON.parse(f) as EventEnvelope);
    expect(got.map((e) => [e.seq, e.type])).toEqual([
      [1, 'agent_started'],
      [2, 'agent_thinking'],
      [3, 'tool_executing'],
      [4, 'tool_completed'],
      [5, 'agent_completed'],
    ]);
    await hubA.close();
    await hubB.close();
  });

  it("ignores ioredis's own keyPrefix: every key is named from the bus's keyPrefix", async () => {
    const [a] = pair({ redisOptions: { keyPrefix: 'other:' } });
    const e = await a.publishEvent(thinking('kai', 'run-kai', 0));
    expect(await raw.xlen(a.keys.userStream('kai'))).toBe(1);
    expect(await raw.exists(`other:${a.keys.userStream('kai')}`, `other:${a.keys.sizes}`)).toBe(0);
    expect(await a.replayUser('kai', { epoch: e.epoch, offset: 0 })).toMatchObject({ status: 'ok', frames: [{ offset: 1, seq: 1 }] });
  });

  it('createBusFromEnv picks Redis only when REDIS_URL is set', async () => {
    expect(createBusFromEnv({})).toBeInstanceOf(MemoryBus);
    const bus = createBusFromEnv({ REDIS_URL: redis.url });
    expect(bus).toBeInstanceOf(RedisBus);
    await bus.close();
    expect(() => new RedisBus({ url: '' })).toThrow(/REDIS_URL/);
  });
});
