// emitNow refuses the same input the same way on both buses: what the hub itself can decide at the
// call (a closed hub, the event's fields, the run's owner, thread and lifecycle as this hub knows
// them) is thrown synchronously — on the in-memory bus and on a real Redis bus alike — and a valid
// event still goes (undefined on the memory bus, emit's promise on Redis), no seq taken by a refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionHub,
  CrossUserAccessError,
  EventOrderError,
  HubClosedError,
  InvalidContextError,
  InvalidEventError,
  createUserExecutionContext,
  createWebSocketManager,
} from '../../canonical/index.js';
import type { EventEnvelope } from '../../canonical/index.js';
import { RedisBus } from '../../canonical/bus/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';
import type { RedisServerHandle } from '../helpers/redis-server.js';

let redis: RedisServerHandle;
const buses: RedisBus[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(buses.map((b) => b.close({ drainTimeoutMs: 500 }).catch(() => undefined)));
  await redis?.dispose();
});

const kinds = {
  memory: async () => new ConnectionHub(),
  redis: async () => {
    const bus = new RedisBus({ url: redis.url, keyPrefix: `now${++prefixes}:`, reconnectMaxMs: 200 });
    buses.push(bus);
    await bus.ready();
    return new ConnectionHub({ bus });
  },
};

/** Whatever emitNow gave back for a valid event: nothing (memory) or emit's promise (Redis), awaited. */
async function settled<T>(out: Promise<T> | undefined): Promise<T | undefined> {
  return out === undefined ? undefined : await out;
}

describe.each(Object.keys(kinds) as (keyof typeof kinds)[])('emitNow on the %s bus', (kind) => {
  it('throws what the hub refuses at the call (fields, lifecycle, owner, thread, closed hub), synchronously', async () => {
    const hub = await kinds[kind]();
    const frames: string[] = [];
    hub.addConnection({ connectionId: `c-${kind}`, userId: 'uma', socket: { send: (d) => void frames.push(d), readyState: 1 }, connectedAt: new Date() });
    if (kind === 'redis') await hub.position('uma');
    const ctx = { userId: 'uma', threadId: 'th-uma', runId: `run-now-${kind}` };
    const m = createWebSocketManager(createUserExecutionContext(ctx), { hub });

    // Invalid fields and an event before agent_started: thrown, not a rejected promise.
    expect(() => m.emitNow('agent_thinking', { reasoning: 1 } as never)).toThrow(InvalidEventError);
    expect(() => m.emitNow('no_such_event' as never, {} as never)).toThrow(InvalidEventError);
    expect(() => m.emitNow('agent_thinking', { reasoning: 'early' })).toThrow(EventOrderError);

    // A valid event still goes, with seq 1: no refusal above took a seq.
    await settled(m.emitNow('agent_started', { agentName: 'a' }));
    expect(() => m.emitNow('agent_started', { agentName: 'again' })).toThrow(EventOrderError);

    // Another user, or another thread, emitting into this run (as this hub knows it): thrown.
    const bob = createWebSocketManager(createUserExecutionContext({ ...ctx, userId: 'bob' }), { hub });
    expect(() => bob.emitNow('agent_thinking', { reasoning: 'hijack' })).toThrow(CrossUserAccessError);
    const other = createWebSocketManager(createUserExecutionContext({ ...ctx, threadId: 'th-other' }), { hub });
    expect(() => other.emitNow('agent_thinking', { reasoning: 'elsewhere' })).toThrow(InvalidContextError);

    await settled(m.emitNow('agent_thinking', { reasoning: 'r' }));
    await settled(m.emitNow('agent_completed', { status: 'success', finalResponse: 'ok' }));
    expect(() => m.emitNow('agent_thinking', { reasoning: 'late' })).toThrow(EventOrderError);

    const deadline = Date.now() + 5000;
    while (frames.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(frames.map((f) => { const e = JSON.parse(f) as EventEnvelope; return [e.seq, e.type]; })).toEqual([
      [1, 'agent_started'],
      [2, 'agent_thinking'],
      [3, 'agent_completed'],
    ]);

    await hub.close();
    const after = createWebSocketManager(createUserExecutionContext({ ...ctx, runId: `run-closed-${kind}` }), { hub });
    expect(() => after.emitNow('agent_started', { agentName: 'closed' })).toThrow(HubClosedError);
  });
});
