// Server processes sharing one real redis-server: 500 users over two instances, runs emitted on
// one and resumed on the other (runs born while away, 1,000 open runs, a client away longer than
// the window), hostile inputs against both processes, a resume during an outage, and
// redis-server killed and restarted mid-run.
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, mintToken, SUBPROTOCOL } from '../../canonical/index.js';
import type { ClientOptions, EventEnvelope, SsotClient } from '../../canonical/index.js';
import { rawUpgrade } from '../../canonical/test/helpers.js';
import { startRedisServer } from '../helpers/redis-server.js';
import type { RedisServerHandle } from '../helpers/redis-server.js';
import type { RunSpec } from '../helpers/server-instances.js';
import { startInstance } from '../helpers/server-instances.js';
import type { InstanceHandle } from '../helpers/server-instances.js';

const SECRET = 'multi-instance-redis-test-secret-0123456789';
const ISSUER = 'https://auth.ssot.test';
const AUDIENCE = 'ssot-ws';
const ORIGIN = 'https://app.ssot.test';
const KEY = new TextEncoder().encode(SECRET);
const WINDOW_MS = 1500;

let redis: RedisServerHandle;
/** a, b: the main pair (authFailure 'close', an Origin allowlist); c, d: a pair with a short replay window. */
let a: InstanceHandle;
let b: InstanceHandle;
let c: InstanceHandle;
let d: InstanceHandle;
const clients: SsotClient[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const base = { redisUrl: redis.url, secret: SECRET, issuer: ISSUER, audience: AUDIENCE, reconnectMaxMs: 200 };
  const main = { ...base, keyPrefix: 'multi:', authFailure: 'close' as const, allowedOrigins: ORIGIN, readyTimeoutMs: 600 };
  const short = { ...base, keyPrefix: 'window:', maxAgeMs: WINDOW_MS };
  [a, b, c, d] = await Promise.all([startInstance(main), startInstance(main), startInstance(short), startInstance(short)]);
}, 90_000);

afterAll(async () => {
  await Promise.allSettled(clients.splice(0).map((cl) => cl.close()));
  await Promise.allSettled([a, b, c, d].map((i) => i?.close()));
  await redis?.dispose();
}, 30_000);

interface Tracked {
  client: SsotClient;
  events: EventEnvelope[];
  /** Every frame the client sent, as text. */
  sent: string[];
}

/** A `ws` WebSocket class that records every frame the client sends. */
function recordingWebSocket(sent: string[]) {
  return class extends WebSocket {
    override send(data: unknown, ...rest: unknown[]): void {
      sent.push(String(data));
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };
}

async function connect(userId: string, instance: InstanceHandle, opts: Partial<ClientOptions> = {}): Promise<Tracked> {
  const token = await mintToken({ userId, key: KEY, issuer: ISSUER, audience: AUDIENCE });
  const sent: string[] = [];
  const events: EventEnvelope[] = [];
  const client = await connectClient({ url: instance.url, token, WebSocket: recordingWebSocket(sent) as never, heartbeatIntervalMs: 0, ...opts });
  clients.push(client);
  client.on('event', (e) => void events.push(e));
  return { client, events, sent };
}

/** Connects in batches so 500 handshakes do not all land at once on two shared cores. */
async function connectMany(specs: { userId: string; instance: InstanceHandle }[], batch = 50): Promise<Tracked[]> {
  const out: Tracked[] = [];
  for (let i = 0; i < specs.length; i += batch) {
    out.push(...(await Promise.all(specs.slice(i, i + batch).map((s) => connect(s.userId, s.instance)))));
  }
  return out;
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The envelope types a run of `thinking` steps must produce, in order. */
function expectedTypes(thinking: number): string[] {
  return ['agent_started', ...Array(thinking).fill('agent_thinking'), 'tool_executing', 'tool_completed', 'agent_completed'];
}

function expectExactRun(events: EventEnvelope[], userId: string, runId: string, thinking: number): void {
  const types = expectedTypes(thinking);
  expect(events.map((e) => e.seq), `${userId} seqs`).toEqual(types.map((_, i) => i + 1));
  expect(events.map((e) => e.type)).toEqual(types);
  expect(events.every((e) => e.userId === userId && e.runId === runId)).toBe(true);
}

const resumeFrames = (t: Tracked) => t.sent.filter((f) => (JSON.parse(f) as { type: string }).type === 'resume');

describe('two instances sharing Redis', () => {
  it('500 users over both instances, runs emitted from both: each user gets exactly its own events, in order', async () => {
    const users = Array.from({ length: 500 }, (_, i) => `user-${i}`);
    // Socket on i % 2, emitter on (i >> 1) % 2: all four socket/emitter combinations, half cross-instance.
    const tracked = await connectMany(users.map((userId, i) => ({ userId, instance: i % 2 ? b : a })));
    const thinking = 2;
    const runsFor = (k: number): RunSpec[] =>
      users.flatMap((userId, i) => (((i >> 1) % 2) === k ? [{ userId, runId: `run-${userId}`, thinking }] : []));
    const [ra, rb] = await Promise.all([a.run(runsFor(0), 25), b.run(runsFor(1), 25)]);
    expect([...ra.failed, ...rb.failed]).toEqual([]);
    const perRun = expectedTypes(thinking).length;
    expect(ra.published + rb.published).toBe(500 * perRun);
    await waitUntil(
      () => tracked.every((t) => t.events.length >= perRun),
      30_000,
      () => `${tracked.filter((t) => t.events.length < perRun).length} users still short of ${perRun} events`,
    );
    await new Promise((r) => setTimeout(r, 200)); // anything extra (a duplicate, a stray) would show up now
    tracked.forEach((t, i) => expectExactRun(t.events, users[i]!, `run-${users[i]}`, thinking));
    expect(tracked.reduce((n, t) => n + t.client.stats.duplicatesDropped, 0)).toBe(0);
    await Promise.all(tracked.map((t) => t.client.close()));
  });

  it("both processes' batches append to the same users at once: each user's offsets gapless in delivery order, each run's seq in order", async () => {
    const users = Array.from({ length: 100 }, (_, i) => `both-${i}`);
    const tracked = await connectMany(users.map((userId, i) => ({ userId, instance: i % 2 ? b : a })));
    const thinking = 3;
    // Every user has a run on each process, emitted at the same time: each process's script calls
    // carry events of all 100 users, interleaving in each user's stream.
    const runsOn = (tag: string): RunSpec[] => users.map((userId) => ({ userId, runId: `run-${userId}-${tag}`, thinking }));
    const [ra, rb] = await Promise.all([a.run(runsOn('a'), 100), b.run(runsOn('b'), 100)]);
    expect([...ra.failed, ...rb.failed]).toEqual([]);
    const perRun = expectedTypes(thinking).length;
    await waitUntil(
      () => tracked.every((t) => t.events.length >= 2 * perRun),
      30_000,
      () => `${tracked.filter((t) => t.events.length < 2 * perRun).length} users still short of ${2 * perRun} events`,
    );
    await new Promise((r) => setTimeout(r, 200));
    let interleaved = 0;
    tracked.forEach((t, i) => {
      const userId = users[i]!;
      expect(t.events.map((e) => e.offset), `${userId} offsets`).toEqual(Array.from({ length: 2 * perRun }, (_, k) => k + 1));
      for (const tag of ['a', 'b']) expectExactRun(t.events.filter((e) => e.runId === `run-${userId}-${tag}`), userId, `run-${userId}-${tag}`, thinking);
      if (t.events.findIndex((e) => e.runId.endsWith('-b')) < t.events.findLastIndex((e) => e.runId.endsWith('-a'))) interleaved++;
    });
    // The two processes' events did mix in the users' streams (else this tested nothing).
    expect(interleaved).toBeGreaterThan(0);
    expect(tracked.reduce((n, t) => n + t.client.stats.duplicatesDropped, 0)).toBe(0);
    await Promise.all(tracked.map((t) => t.client.close()));
  });

  it("two processes publish one user's runs in turns and at once (the write lease changes hands): nothing lost, duplicated or reordered", async () => {
    const users = Array.from({ length: 10 }, (_, i) => `turns-${i}`);
    const tracked = await connectMany(users.map((userId) => ({ userId, instance: a })));
    const thinking = 6;
    const runsOn = (tag: string): RunSpec[] => users.map((userId) => ({ userId, runId: `run-${userId}-${tag}`, thinking }));
    const before = await Promise.all([a.stats(), b.stats()]);
    const results = [];
    for (let round = 0; round < 2; round++) {
      // In turns: each process appends light while it is the users' last writer, then the other takes over.
      results.push(await a.run(runsOn(`a${round}`), 10), await b.run(runsOn(`b${round}`), 10));
      // At once: both race for every user's stream.
      results.push(...(await Promise.all([a.run(runsOn(`x${round}`), 10), b.run(runsOn(`y${round}`), 10)])));
    }
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    const tags = ['a0', 'b0', 'x0', 'y0', 'a1', 'b1', 'x1', 'y1'];
    const perRun = expectedTypes(thinking).length;
    await waitUntil(
      () => tracked.every((t) => t.events.length >= tags.length * perRun),
      30_000,
      () => `${tracked.filter((t) => t.events.length < tags.length * perRun).length} users still short`,
    );
    await new Promise((r) => setTimeout(r, 200));
    tracked.forEach((t, i) => {
      const userId = users[i]!;
      expect(t.events.map((e) => e.offset), `${userId} offsets`).toEqual(Array.from({ length: tags.length * perRun }, (_, k) => k + 1));
      for (const tag of tags) expectExactRun(t.events.filter((e) => e.runId === `run-${userId}-${tag}`), userId, `run-${userId}-${tag}`, thinking);
    });
    expect(tracked.reduce((n, t) => n + t.client.stats.duplicatesDropped, 0)).toBe(0);
    const after = await Promise.all([a.stats(), b.stats()]);
    const delta = (k: 'lightItems' | 'leaseRefusals') => after.reduce((n, s, i) => n + (s.bus[k] ?? 0) - (before[i]!.bus[k] ?? 0), 0);
    // Both paths ran: light appends by the last writer, and takeovers that fenced the other's next item.
    expect(delta('lightItems')).toBeGreaterThan(0);
    expect(delta('leaseRefusals')).toBeGreaterThan(0);
    await Promise.all(tracked.map((t) => t.client.close()));
  });

  it("several runs per user from both processes (packs: one stream entry per user and call), in turns and at once; a client moved mid-way resumes from inside a pack with no gap and no duplicate", async () => {
    const users = Array.from({ length: 6 }, (_, i) => `packs-${i}`);
    const tracked = await connectMany(users.map((userId) => ({ userId, instance: a })));
    const mover = await connect('packs-mover', a);
    const thinking = 8;
    const perRun = expectedTypes(thinking).length;
    const runsOn = (tag: string): RunSpec[] => users.flatMap((userId) => [0, 1, 2].map((r) => ({ userId, runId: `run-${userId}-${tag}${r}`, thinking })));
    const before = await Promise.all([a.stats(), b.stats()]);
    // The mover's three runs on B, slow enough to move the client mid-way.
    const moving = b.run([0, 1, 2].map((r) => ({ userId: 'packs-mover', runId: `run-mover-${r}`, thinking: 20, stepDelayMs: 20 })), 3);
    await waitUntil(() => mover.events.length >= 14, 20_000, () => `mover got ${mover.events.length}`);
    (mover.client.socket as unknown as WebSocket).terminate();
    await mover.client.close();
    const position = mover.client.position()!;
    const second = await connect('packs-mover', b, { position, cursors: mover.client.cursors() });
    const results = [await a.run(runsOn('a'), 18), await b.run(runsOn('b'), 18)];
    results.push(...(await Promise.all([a.run(runsOn('x'), 18), b.run(runsOn('y'), 18)])));
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    const tags = ['a', 'b', 'x', 'y'];
    const total = tags.length * 3 * perRun;
    await waitUntil(
      () => tracked.every((t) => t.events.length >= total),
      30_000,
      () => `${tracked.filter((t) => t.events.length < total).length} users still short`,
    );
    await new Promise((r) => setTimeout(r, 200));
    tracked.forEach((t, i) => {
      const userId = users[i]!;
      expect(t.events.map((e) => e.offset), `${userId} offsets`).toEqual(Array.from({ length: total }, (_, k) => k + 1));
      for (const tag of tags) for (const r of [0, 1, 2]) expectExactRun(t.events.filter((e) => e.runId === `run-${userId}-${tag}${r}`), userId, `run-${userId}-${tag}${r}`, thinking);
    });
    expect(tracked.reduce((n, t) => n + t.client.stats.duplicatesDropped, 0)).toBe(0);

    expect((await moving).failed).toEqual([]);
    const moverTotal = 3 * expectedTypes(20).length;
    await waitUntil(() => mover.events.length + second.events.length >= moverTotal, 20_000, () => `${mover.events.length}+${second.events.length} of ${moverTotal}`);
    await new Promise((r) => setTimeout(r, 200));
    const all = [...mover.events, ...second.events];
    // Each offset once, none missing; per run in seq order. (Across runs the resumed client may hand
    // the app a live event of one run before the replayed earlier offsets of another: seen without
    // packs too, at 67bdbcb; each run's own order is what the client keeps.)
    expect(mover.events.map((e) => e.offset)).toEqual(Array.from({ length: position.offset }, (_, k) => k + 1));
    expect(second.events.map((e) => e.offset).sort((x, y) => x - y)).toEqual(Array.from({ length: moverTotal - position.offset }, (_, k) => position.offset + k + 1));
    for (const r of [0, 1, 2]) expectExactRun(all.filter((e) => e.runId === `run-mover-${r}`), 'packs-mover', `run-mover-${r}`, 20);

    const after = await Promise.all([a.stats(), b.stats()]);
    const delta = (k: 'packedItems' | 'leaseRefusals') => after.reduce((n, s, i) => n + (s.bus[k] ?? 0) - (before[i]!.bus[k] ?? 0), 0);
    // Packs were appended by both processes' batches, and takeovers fenced the other's next pack or item.
    expect(after[0]!.bus.packedItems! - before[0]!.bus.packedItems!).toBeGreaterThan(0);
    expect(after[1]!.bus.packedItems! - before[1]!.bus.packedItems!).toBeGreaterThan(0);
    expect(delta('leaseRefusals')).toBeGreaterThan(0);
    await Promise.all([...tracked.map((t) => t.client.close()), second.client.close()]);
  });

  it('a client killed mid-run resumes on the other instance with no gap and no duplicate', async () => {
    const userId = 'mover';
    const runId = 'run-mover';
    const thinking = 30;
    const first = await connect(userId, a);
    const done = b.run([{ userId, runId, thinking, stepDelayMs: 15 }]);
    await waitUntil(() => first.events.length >= 8, 20_000, () => `first socket got ${first.events.length}`);
    // Kill the socket abruptly, and stop that client from reconnecting to instance A.
    (first.client.socket as unknown as WebSocket).terminate();
    await first.client.close();
    const position = first.client.position()!;
    const cursors = first.client.cursors();
    expect(cursors[runId]).toBeGreaterThanOrEqual(8);
    const second = await connect(userId, b, { position, cursors });
    expect((await done).failed).toEqual([]);
    const total = expectedTypes(thinking).length;
    const missing = () => {
      const got = new Set([...first.events, ...second.events].map((e) => e.seq));
      return Array.from({ length: total }, (_, i) => i + 1).filter((q) => !got.has(q));
    };
    await waitUntil(
      () => first.events.length + second.events.length >= total,
      20_000,
      () => `${first.events.length}+${second.events.length} of ${total}; missing seqs ${missing().join(',')}; position ${JSON.stringify(position)}; second ${JSON.stringify({ pos: second.client.position(), stats: second.client.stats, sent: second.sent })}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    expectExactRun([...first.events, ...second.events], userId, runId, thinking);
    expect(second.events[0]?.seq).toBe(cursors[runId]! + 1);
    await second.client.close();
  });

  it('a client away while three runs start and finish on the other instance gets all 15 events with one resume frame', async () => {
    const userId = 'away-3';
    const first = await connect(userId, a);
    await first.client.close();
    const position = first.client.position()!;
    const r = await b.run(['run-1', 'run-2', 'run-3'].map((runId) => ({ userId, runId, thinking: 1 })), 3);
    expect(r).toMatchObject({ published: 15, failed: [] });
    const back = await connect(userId, a, { position });
    await waitUntil(() => back.events.length >= 15, 20_000, () => `${back.events.length} of 15`);
    await new Promise((r2) => setTimeout(r2, 200));
    for (const runId of ['run-1', 'run-2', 'run-3']) expectExactRun(back.events.filter((e) => e.runId === runId), userId, runId, 1);
    expect(back.events.map((e) => e.offset)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(resumeFrames(back)).toEqual([JSON.stringify({ type: 'resume', epoch: position.epoch, offset: position.offset })]);
    await back.client.close();
  });

  it('1,000 open runs: the client resumes on the other instance with one small frame and loses nothing', async () => {
    const userId = 'thousand';
    const runIds = Array.from({ length: 1000 }, (_, i) => `open-${i}`);
    const first = await connect(userId, a);
    expect((await b.run(runIds.map((runId) => ({ userId, runId, thinking: 1, part: 'start' as const })), 50)).failed).toEqual([]);
    await waitUntil(() => first.events.length >= 1000, 30_000, () => `${first.events.length} of 1000 starts`);
    await first.client.close();
    const position = first.client.position()!;
    const cursors = first.client.cursors();
    expect(Object.keys(cursors)).toHaveLength(1000);
    expect((await b.run(runIds.map((runId) => ({ userId, runId, thinking: 1, part: 'finish' as const })), 50)).failed).toEqual([]);
    const back = await connect(userId, a, { position, cursors });
    await waitUntil(() => back.events.length >= 4000, 60_000, () => `${back.events.length} of 4000`);
    await new Promise((r) => setTimeout(r, 200));
    expect(back.events).toHaveLength(4000);
    for (const runId of runIds) expect(back.client.lastSeq(runId), runId).toBe(5);
    expect(back.client.stats.duplicatesDropped).toBe(0);
    const resumes = resumeFrames(back);
    expect(resumes).toHaveLength(1);
    expect(resumes[0]!.length).toBeLessThan(100);
    await back.client.close();
  });

  it('a client away longer than the replay window gets an explicit gap naming the runs, then what is still stored', async () => {
    const userId = 'long-gone';
    const first = await connect(userId, c);
    expect((await d.run([{ userId, runId: 'run-old', thinking: 1, part: 'start' }])).failed).toEqual([]);
    await waitUntil(() => first.events.length >= 1, 10_000, () => 'first event');
    await first.client.close();
    const position = first.client.position()!;
    const cursors = first.client.cursors();
    expect((await d.run([{ userId, runId: 'run-old', thinking: 1, part: 'finish' }, { userId, runId: 'run-lost', thinking: 1 }], 1)).failed).toEqual([]);
    await new Promise((r) => setTimeout(r, WINDOW_MS + 500)); // everything so far is older than the window now
    expect((await d.run([{ userId, runId: 'run-new', thinking: 1 }])).failed).toEqual([]);
    const gaps: unknown[] = [];
    const back = await connect(userId, c, { position, cursors });
    back.client.on('gap', (g) => gaps.push(g));
    await waitUntil(() => back.events.length >= 5 && gaps.length >= 1, 20_000, () => `${back.events.length} events, ${gaps.length} gaps`);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ type: 'replay_gap', scope: 'stream', reason: 'trimmed', epoch: position.epoch, fromOffset: 2, availableFrom: 11 });
    const lost = (gaps[0] as { runs: { runId: string; lastSeq: number; availableFrom: number | null }[] }).runs;
    expect(lost).toEqual([
      { runId: 'run-lost', lastSeq: 5, availableFrom: null },
      { runId: 'run-old', lastSeq: 5, availableFrom: null },
    ]);
    expectExactRun(back.events, userId, 'run-new', 1);
    expect(back.client.lastSeq('run-old')).toBe(5); // what is gone is skipped, not waited for
    await back.client.close();
  });

  it('hostile inputs — the pre-auth crash input, the run-id oracle — are refused by both processes, which keep running', async () => {
    const victim = await connect('victim', b);
    expect((await b.run([{ userId: 'victim', runId: 'run-secret', thinking: 30 }])).failed).toEqual([]);
    await waitUntil(() => victim.events.length >= 34, 10_000, () => 'victim events');
    for (const instance of [a, b]) {
      // 150 × "é" in the Origin, with authFailure 'close': this once became an unhandled RangeError.
      const token = await mintToken({ userId: 'mallory', key: KEY, issuer: ISSUER, audience: AUDIENCE });
      const out = await rawUpgrade(instance.url, { protocols: [SUBPROTOCOL, `bearer.${token}`], headers: { Origin: Buffer.from('é'.repeat(150)).toString('latin1') } });
      expect(out).toMatchObject({ status: 101, closeCode: 4403, closeReason: 'forbidden' });

      const mallory = await connect('mallory', instance);
      const frames: Record<string, unknown>[] = [];
      mallory.client.on('frame', (f) => frames.push(f));
      const answer = async (frame: Record<string, unknown>) => {
        const from = frames.length;
        mallory.client.send(frame);
        await waitUntil(() => frames.slice(from).some((f) => f.type === 'resume_complete' || f.type === 'error'), 10_000, () => 'an answer');
        return frames.slice(from).map((f) => JSON.stringify(f).replaceAll('run-secret', 'RUN').replaceAll('run-nobody', 'RUN'));
      };
      for (const lastSeq of [1e21, 2 ** 53]) {
        expect(JSON.parse((await answer({ type: 'resume', runs: { 'run-secret': lastSeq } }))[0]!)).toMatchObject({ type: 'error', code: 'ERR_BAD_FRAME' });
      }
      expect(JSON.parse((await answer({ type: 'resume', epoch: mallory.client.position()!.epoch, offset: 1e21 }))[0]!)).toMatchObject({ code: 'ERR_BAD_FRAME' });
      for (const lastSeq of [0, 5, 2 ** 53 - 1]) {
        const foreign = await answer({ type: 'resume', runs: { 'run-secret': lastSeq } });
        const unknown = await answer({ type: 'resume', runs: { 'run-nobody': lastSeq } });
        expect(foreign, `lastSeq ${lastSeq}`).toEqual(unknown);
        expect(foreign.some((f) => f.includes('"status":"unknown"'))).toBe(true);
      }
      expect(mallory.events).toEqual([]);
      await mallory.client.close();
      expect(instance.alive).toBe(true);
      const stats = await instance.stats();
      expect(stats.refusals).toBeGreaterThan(0);
      expect(stats.serverErrors).toBe(0);
    }
    await victim.client.close();
  });

  it('a resume during a Redis outage gets a retryable ERR_UNAVAILABLE; the client retries with backoff until it completes', async () => {
    const userId = 'outage';
    const tab1 = await connect(userId, a);
    expect((await b.run([{ userId, runId: 'run-before', thinking: 1 }])).failed).toEqual([]);
    await waitUntil(() => tab1.events.length >= 5, 10_000, () => 'tab1 events');
    const seen = tab1.client.position()!;
    await redis.stop('SIGKILL');
    let restarted = false;
    try {
      // A second tab that last saw only part of the run: its resume needs Redis.
      const errors: { code: string; retryAfterMs?: number }[] = [];
      const tab2 = await connect(userId, a, { position: { epoch: seen.epoch, offset: seen.offset - 3 }, reconnect: { initialDelayMs: 100, maxDelayMs: 400 } });
      tab2.client.on('error', (e) => errors.push(e));
      await waitUntil(() => tab2.client.stats.resumeRetries >= 2, 15_000, () => `${tab2.client.stats.resumeRetries} retries`);
      expect(errors[0]).toMatchObject({ code: 'ERR_UNAVAILABLE', retryAfterMs: expect.any(Number) });
      const completed = new Promise((r) => tab2.client.on('frame', (f) => f.type === 'resume_complete' && r(f)));
      await redis.start();
      restarted = true;
      await completed; // Redis came back (empty: it keeps nothing): the retried resume is answered
      expect((await b.run([{ userId, runId: 'run-after', thinking: 1 }])).failed).toEqual([]);
      await waitUntil(() => tab2.events.some((e) => e.runId === 'run-after' && e.type === 'agent_completed'), 15_000, () => 'events after the outage');
      expectExactRun(tab2.events.filter((e) => e.runId === 'run-after'), userId, 'run-after', 1);
      expect(a.alive).toBe(true);
      await tab2.client.close();
    } finally {
      if (!restarted) await redis.start();
    }
    await tab1.client.close();
  });

  it('redis-server killed and restarted mid-run: nothing lost (within the buffer bound), order kept', async () => {
    const users = Array.from({ length: 40 }, (_, i) => `restart-${i}`);
    const tracked = await connectMany(users.map((userId, i) => ({ userId, instance: i % 2 ? b : a })));
    const thinking = 20;
    const total = expectedTypes(thinking).length;
    const runsFor = (k: number): RunSpec[] =>
      users.flatMap((userId, i) => (((i >> 1) % 2) === k ? [{ userId, runId: `run-${userId}`, thinking, stepDelayMs: 20 }] : []));
    const running = Promise.all([a.run(runsFor(0), 40), b.run(runsFor(1), 40)]);
    await waitUntil(() => tracked.every((t) => t.events.length >= 4), 20_000, () => 'runs did not start');
    await redis.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 400)); // emitters block on the outbox meanwhile (≤ 1 publish per run)
    const during = await Promise.all([a.stats(), b.stats()]);
    expect(during.every((s) => s.bus.connected === false)).toBe(true);
    expect(during.reduce((n, s) => n + s.bus.buffered, 0)).toBeGreaterThan(0); // publishes are waiting, not lost
    await redis.start();
    const [ra, rb] = await running;
    expect([...ra.failed, ...rb.failed]).toEqual([]);
    await waitUntil(
      () => tracked.every((t) => t.events.length >= total),
      30_000,
      () => `${tracked.filter((t) => t.events.length < total).map((t) => t.events.length).join(',')} short of ${total}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    // Each run reached its app exactly once, in order.
    tracked.forEach((t, i) => expectExactRun(t.events, users[i]!, `run-${users[i]}`, thinking));
    // Redis (without persistence) forgot what it applied just before the crash: the run's last
    // acknowledged event is replayed (its copies may have died) and the one in flight, applied but
    // unanswered, is resent — at most two per run (canonical/bus/README.md), dropped by their seq.
    for (const t of tracked) expect(t.client.stats.duplicatesDropped).toBeLessThanOrEqual(2);
    await Promise.all(tracked.map((t) => t.client.close()));
  });
});
