// The Redis bus against a real redis-server: seq, delivery across instances, replay, trimming,
// TTL, ownership, idempotent appends, duplicate suppression, and a Redis restart mid-run.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionHub, createUserExecutionContext, createWebSocketManager } from '../../canonical/index.js';
import type { BusDelivery, EventEnvelope, SocketLike } from '../../canonical/index.js';
import { MemoryBus } from '../../canonical/bus/memory.js';
import { BusUnavailableError } from '../../canonical/bus/redis-errors.js';
import { PUBLISH_EVENT_LUA } from '../../canonical/bus/redis-scripts.js';
import { RedisBus, createBusFromEnv } from '../../canonical/bus/redis.js';
import type { RedisBusOptions } from '../../canonical/bus/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';
import type { RedisServerHandle } from '../helpers/redis-server.js';

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

function makeBus(options: RedisBusOptions): RedisBus {
  const bus = new RedisBus({ url: redis.url, reconnectMaxMs: 200, ...options });
  buses.push(bus);
  return bus;
}

function recorder() {
  const deliveries: BusDelivery[] = [];
  const events = () => deliveries.flatMap((d) => (d.kind === 'event' ? [d.envelope] : []));
  return {
    deliveries,
    events,
    listener: (d: BusDelivery) => {
      deliveries.push(d);
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  it('assigns a gapless seq from 1 under concurrent publishes, in call order per bus', async () => {
    const [a] = pair();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => a.publishEvent(thinking('u1', 'run-c', i))));
    expect(results.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(results.map((e) => e.reasoning)).toEqual(Array.from({ length: 300 }, (_, i) => `step ${i}`));
  });

  it('keeps seq unique and gapless when two instances append to one run at once (atomic script)', async () => {
    const [a, b] = pair();
    const all = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).publishEvent(thinking('u2', 'run-two-writers', i))),
    );
    expect(all.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('delivers an event published on one instance to the subscriber of that user on another, only to that user', async () => {
    const [a, b] = pair();
    const alice = recorder();
    const bob = recorder();
    b.subscribe('alice', alice.listener);
    b.subscribe('bob', bob.listener);
    await b.ready();
    await sleep(50); // the SUBSCRIBE must be active before the first publish: pub/sub keeps nothing
    for (let i = 0; i < 20; i++) await a.publishEvent(thinking('alice', 'run-a', i));
    await a.publishToUser('alice', { type: 'note', text: 'hi' });
    const events = await alice.waitForEvents(20);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(events.every((e) => e.userId === 'alice' && e.runId === 'run-a' && e.threadId === 'th-alice')).toBe(true);
    await waitUntil(() => alice.deliveries.some((d) => d.kind === 'message'));
    expect(bob.deliveries).toEqual([]);
  });

  it('unsubscribing stops delivery to that listener', async () => {
    const [a, b] = pair();
    const r1 = recorder();
    const r2 = recorder();
    const off = b.subscribe('carol', r1.listener);
    b.subscribe('carol', r2.listener);
    await b.ready();
    await sleep(50);
    await a.publishEvent(thinking('carol', 'run-x', 0));
    await r1.waitForEvents(1);
    off();
    await a.publishEvent(thinking('carol', 'run-x', 1));
    await r2.waitForEvents(2);
    expect(r1.events()).toHaveLength(1);
  });
});

describe('RedisBus: replay', () => {
  it('replays after a seq on any instance, and answers "unknown" for another user or a missing run', async () => {
    const [a, b] = pair();
    for (let i = 0; i < 10; i++) await a.publishEvent(thinking('dave', 'run-r', i));
    const r = await b.replay('dave', 'run-r', 6);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.lastSeq).toBe(10);
    expect(r.events.map((e) => e.seq)).toEqual([7, 8, 9, 10]);
    expect(r.events[0]).toMatchObject({ type: 'agent_thinking', reasoning: 'step 6', userId: 'dave', runId: 'run-r' });
    expect(await b.replay('dave', 'run-r', 10)).toEqual({ status: 'ok', events: [], lastSeq: 10 });
    expect(await b.replay('mallory', 'run-r', 0)).toEqual({ status: 'unknown' });
    expect(await b.replay('dave', 'no-such-run', 0)).toEqual({ status: 'unknown' });
  });

  it('reports a gap once exact trimming dropped the start of the run', async () => {
    const [a, b] = pair({ maxEventsPerRun: 5, exactTrim: true });
    for (let i = 0; i < 12; i++) await a.publishEvent(thinking('erin', 'run-t', i));
    const r = await b.replay('erin', 'run-t', 0);
    expect(r).toMatchObject({ status: 'gap', fromSeq: 1, availableFrom: 8, lastSeq: 12 });
    if (r.status === 'gap') expect(r.events.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    const tail = await b.replay('erin', 'run-t', 9);
    expect(tail.status).toBe('ok');
  });

  it('approximate trimming (MAXLEN ~) keeps a contiguous tail ending at the last seq', async () => {
    const [a] = pair({ maxEventsPerRun: 10 });
    await Promise.all(Array.from({ length: 400 }, (_, i) => a.publishEvent(thinking('fay', 'run-approx', i))));
    const r = await a.replay('fay', 'run-approx', 0);
    expect(r.status).toBe('gap');
    if (r.status !== 'gap') return;
    const seqs = r.events.map((e) => e.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(10);
    expect(seqs.length).toBeLessThan(400);
    expect(seqs[seqs.length - 1]).toBe(400);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 401 - seqs.length + i));
    expect(r.availableFrom).toBe(seqs[0]);
  });

  it('after agent_completed the stream expires (then "gap"), later the run meta (then "unknown")', async () => {
    const [a] = pair({ endedTtlMs: 300, endedMetaTtlMs: 900 });
    await a.publishEvent({ userId: 'gus', threadId: 'th-gus', runId: 'run-ttl', type: 'agent_started', data: { agentName: 'x' } });
    const streamKey = a.keys.runEvents('run-ttl');
    const metaKey = a.keys.runMeta('run-ttl');
    expect(await raw.pttl(streamKey)).toBeGreaterThan(60_000); // active runs keep the long TTL
    await a.publishEvent({ userId: 'gus', threadId: 'th-gus', runId: 'run-ttl', type: 'agent_completed', data: { status: 'ok', finalResponse: 'done' } });
    const ttl = await raw.pttl(streamKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    expect(await raw.pttl(metaKey)).toBeLessThanOrEqual(900);
    await waitUntil(async () => (await raw.exists(streamKey)) === 0);
    expect(await a.replay('gus', 'run-ttl', 0)).toEqual({ status: 'gap', events: [], lastSeq: 2, fromSeq: 1, availableFrom: null });
    await waitUntil(async () => (await raw.exists(metaKey)) === 0);
    expect(await a.replay('gus', 'run-ttl', 0)).toEqual({ status: 'unknown' });
  });

  it('replay while Redis is unreachable rejects with BusUnavailableError("unreachable")', async () => {
    const [a] = pair({ readyTimeoutMs: 300 });
    await a.publishEvent(thinking('hal', 'run-down', 0));
    await redis.stop('SIGKILL');
    try {
      await expect(a.replay('hal', 'run-down', 0)).rejects.toMatchObject({ name: 'BusUnavailableError', reason: 'unreachable', code: 'ERR_BUS_UNAVAILABLE' });
    } finally {
      await redis.start();
    }
  });
});

describe('RedisBus: ownership and idempotency', () => {
  it('refuses an append into a run owned by another user or another thread, and the owner goes on', async () => {
    const [a, b] = pair();
    await a.publishEvent(thinking('ivy', 'run-own', 0));
    await expect(b.publishEvent(thinking('mallory', 'run-own', 1))).rejects.toMatchObject({ code: 'ERR_CROSS_USER' });
    await expect(b.publishEvent({ ...thinking('ivy', 'run-own', 1), threadId: 'other-thread' })).rejects.toMatchObject({ code: 'ERR_INVALID_CONTEXT' });
    const next = await a.publishEvent(thinking('ivy', 'run-own', 2));
    expect(next.seq).toBe(2);
    const r = await a.replay('ivy', 'run-own', 0);
    expect(r.status === 'ok' && r.events.map((e) => e.reasoning)).toEqual(['step 0', 'step 2']);
  });

  it('the append script is idempotent per producer seq and refuses one that skips a predecessor', async () => {
    const prefix = `t${++prefixCounter}:`;
    const keys = [`${prefix}meta`, `${prefix}events`, `${prefix}runs`];
    const args = (pseq: number, acked: number) => ['u', 'th', 'run', 'prod-1', pseq, acked, 0, '[]', `${prefix}chan`, 100, '=', 60_000, '0', 1000, 1000, 60_000, 100];
    expect(await raw.eval(PUBLISH_EVENT_LUA, 3, ...keys, ...args(1, 0))).toEqual([1, 0]);
    expect(await raw.eval(PUBLISH_EVENT_LUA, 3, ...keys, ...args(2, 0))).toEqual([2, 0]);
    // A resend of pseq 1 and 2 (their replies were lost): same seqs, nothing appended.
    expect(await raw.eval(PUBLISH_EVENT_LUA, 3, ...keys, ...args(1, 0))).toEqual([1, 1]);
    expect(await raw.eval(PUBLISH_EVENT_LUA, 3, ...keys, ...args(2, 0))).toEqual([2, 1]);
    await expect(raw.eval(PUBLISH_EVENT_LUA, 3, ...keys, ...args(4, 2))).rejects.toThrow(/SSOT_ORDER/);
    expect(await raw.xlen(keys[1]!)).toBe(2);
    expect(await raw.eval(PUBLISH_EVENT_LUA, 3, ...keys, ...args(3, 2))).toEqual([3, 0]);
  });

  it('a subscriber never delivers the same seq twice, and fills a seq jump from the stream', async () => {
    const [a, b] = pair();
    const rec = recorder();
    b.subscribe('jan', rec.listener);
    await b.ready();
    await sleep(50);
    const e1 = await a.publishEvent(thinking('jan', 'run-d', 0));
    await rec.waitForEvents(1);
    // Replay the exact frame Redis published for seq 1: it must be dropped.
    const first = (await raw.xrange(a.keys.runEvents('run-d'), '-', '+'))[0]!;
    const body = first[1][first[1].indexOf('b') + 1]!;
    await raw.publish(a.keys.userChannel('jan'), `e|1|${Date.now()}|${body}`);
    // Seq 2 and 3 appended without pub/sub (as if lost on the wire), then seq 4 published normally.
    await raw.xadd(a.keys.runEvents('run-d'), '2-0', 'b', body.replace('step 0', 'step 1'), 'f', Date.now());
    await raw.xadd(a.keys.runEvents('run-d'), '3-0', 'b', body.replace('step 0', 'step 2'), 'f', Date.now());
    await raw.hset(a.keys.runMeta('run-d'), 'seq', 3);
    const e4 = await a.publishEvent(thinking('jan', 'run-d', 3));
    expect([e1.seq, e4.seq]).toEqual([1, 4]);
    const got = await rec.waitForEvents(4);
    await sleep(100);
    expect(rec.events().map((e) => [e.seq, e.reasoning])).toEqual([
      [1, 'step 0'],
      [2, 'step 1'],
      [3, 'step 2'],
      [4, 'step 3'],
    ]);
    expect(got).toHaveLength(4);
  });
});

describe('RedisBus: Redis outage', () => {
  it('buffers publishes while Redis is down and flushes them in order, seq continuing without a gap', async () => {
    const [a, b] = pair();
    const rec = recorder();
    b.subscribe('kim', rec.listener);
    await Promise.all([a.ready(), b.ready()]);
    await sleep(50);
    for (let i = 0; i < 3; i++) await a.publishEvent(thinking('kim', 'run-out', i));
    await rec.waitForEvents(3);
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
  it('a manager on hub B reaches a socket held by hub A', async () => {
    const [busA, busB] = pair();
    const hubA = new ConnectionHub({ bus: busA });
    const hubB = new ConnectionHub({ bus: busB });
    const frames: string[] = [];
    const socket: SocketLike = { send: (d) => void frames.push(d), readyState: 1 };
    hubA.addConnection({ connectionId: 'c1', userId: 'nia', socket, connectedAt: new Date() });
    await busA.ready();
    await sleep(50);
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

  it('createBusFromEnv picks Redis only when REDIS_URL is set', async () => {
    expect(createBusFromEnv({})).toBeInstanceOf(MemoryBus);
    const bus = createBusFromEnv({ REDIS_URL: redis.url });
    expect(bus).toBeInstanceOf(RedisBus);
    await bus.close();
    expect(() => new RedisBus({ url: '' })).toThrow(/REDIS_URL/);
  });
});
