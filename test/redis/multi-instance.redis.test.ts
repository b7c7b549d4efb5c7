// Two server processes sharing one real redis-server: 500 users over both, runs emitted from both,
// a client moving to the other instance mid-run, and redis-server restarted mid-run.
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, mintToken } from '../../canonical/index.js';
import type { EventEnvelope, SsotClient } from '../../canonical/index.js';
import { startRedisServer } from '../helpers/redis-server.js';
import type { RedisServerHandle } from '../helpers/redis-server.js';
import type { RunSpec } from './instance.js';
import { startInstance } from './instances.js';
import type { InstanceHandle } from './instances.js';

const SECRET = 'multi-instance-redis-test-secret-0123456789';
const ISSUER = 'https://auth.ssot.test';
const AUDIENCE = 'ssot-ws';
const KEY = new TextEncoder().encode(SECRET);

let redis: RedisServerHandle;
let instances: InstanceHandle[] = [];
const clients: SsotClient[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const env = { redisUrl: redis.url, keyPrefix: 'multi:', secret: SECRET, issuer: ISSUER, audience: AUDIENCE, reconnectMaxMs: 200 };
  instances = await Promise.all([startInstance(env), startInstance(env)]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await Promise.allSettled(instances.map((i) => i.close()));
  await redis?.dispose();
}, 30_000);

interface Tracked {
  client: SsotClient;
  events: EventEnvelope[];
}

async function connect(userId: string, instance: InstanceHandle, cursors?: Record<string, number>): Promise<Tracked> {
  const token = await mintToken({ userId, key: KEY, issuer: ISSUER, audience: AUDIENCE });
  const client = await connectClient({
    url: instance.url,
    token,
    WebSocket: WebSocket as never,
    heartbeatIntervalMs: 0,
    ...(cursors ? { cursors } : {}),
  });
  clients.push(client);
  const events: EventEnvelope[] = [];
  client.on('event', (e) => void events.push(e));
  return { client, events };
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

describe('two instances sharing Redis', () => {
  it('500 users over both instances, runs emitted from both: each user gets exactly its own events, in order', async () => {
    const [a, b] = instances as [InstanceHandle, InstanceHandle];
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

  it('a client killed mid-run resumes on the other instance with no gap and no duplicate', async () => {
    const [a, b] = instances as [InstanceHandle, InstanceHandle];
    const userId = 'mover';
    const runId = 'run-mover';
    const thinking = 30;
    const first = await connect(userId, a);
    const done = b.run([{ userId, runId, thinking, stepDelayMs: 15 }]);
    await waitUntil(() => first.events.length >= 8, 20_000, () => `first socket got ${first.events.length}`);
    // Kill the socket abruptly, and stop that client from reconnecting to instance A.
    (first.client.socket as unknown as WebSocket).terminate();
    await first.client.close();
    const cursor = first.client.cursors();
    expect(cursor[runId]).toBeGreaterThanOrEqual(8);
    const second = await connect(userId, b, cursor);
    expect((await done).failed).toEqual([]);
    const total = expectedTypes(thinking).length;
    await waitUntil(() => first.events.length + second.events.length >= total, 20_000, () => `${first.events.length}+${second.events.length} of ${total}`);
    await new Promise((r) => setTimeout(r, 200));
    expectExactRun([...first.events, ...second.events], userId, runId, thinking);
    expect(second.events[0]?.seq).toBe(cursor[runId]! + 1);
    await second.client.close();
  });

  it('redis-server killed and restarted mid-run: nothing lost (within the buffer bound), order kept', async () => {
    const [a, b] = instances as [InstanceHandle, InstanceHandle];
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
    tracked.forEach((t, i) => expectExactRun(t.events, users[i]!, `run-${users[i]}`, thinking));
    expect(tracked.reduce((n, t) => n + t.client.stats.duplicatesDropped, 0)).toBe(0);
    await Promise.all(tracked.map((t) => t.client.close()));
  });
});
