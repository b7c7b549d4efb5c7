import { describe, expect, it } from 'vitest';
import { createConnectionHub, createMemoryBus, createUserExecutionContext, createWebSocketManager } from './index.js';
import type { Bus, BusDelivery } from './index.js';
import { CrossUserAccessError } from './errors.js';
import { ReplayBuffer } from './replay.js';

const sock = (frames: string[]) => ({ send: (d: string) => frames.push(d), readyState: 1 });

describe('hub bookkeeping for one and several sockets per user', () => {
  it('sends an event as its stored UTF-8 bytes to a socket that takes bytes, as the same text to one that takes strings, and replays the same bytes', async () => {
    const hub = createConnectionHub();
    const asBytes: unknown[] = [];
    const asText: unknown[] = [];
    hub.addConnection({ connectionId: 'bytes', userId: 'ü', socket: { readyState: 1, send: (d: unknown) => asBytes.push(d) }, connectedAt: new Date(), utf8Bytes: true });
    hub.addConnection({ connectionId: 'text', userId: 'ü', socket: { readyState: 1, send: (d: unknown) => asText.push(d) }, connectedAt: new Date() });
    const start = hub.position('ü') as { epoch: string; offset: number };
    const ctx = { userId: 'ü', threadId: 't', runId: 'r-ü' };
    const m = createWebSocketManager(createUserExecutionContext(ctx), { hub });
    const sent = await m.emit('agent_started', { agentName: 'é 🙂 "q"' });
    expect(asText).toEqual([JSON.stringify(sent)]);
    expect(asBytes).toHaveLength(1);
    expect(asBytes[0]).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(asBytes[0] as Uint8Array).toString('utf8')).toBe(asText[0]);
    const replay = hub.replayUser('ü', start) as { status: string; frames: { text: unknown }[] };
    expect(replay.status).toBe('ok');
    expect(Buffer.from(replay.frames[0]!.text as Uint8Array).equals(Buffer.from(asBytes[0] as Uint8Array))).toBe(true);
    await hub.close();
  });

  it('resolves each emit with its envelope as sent — header keys first, then the data — for all five events; a store append of unchecked data still keeps the header', async () => {
    const hub = createConnectionHub();
    const text: string[] = [];
    hub.addConnection({ connectionId: 'c', userId: 'u-env', socket: sock(text), connectedAt: new Date() });
    const m = createWebSocketManager(createUserExecutionContext({ userId: 'u-env', threadId: 't', runId: 'r-env' }), { hub });
    const sent = [
      await m.emit('agent_started', { agentName: 'a', extra: [1] }),
      await m.emit('agent_thinking', { reasoning: 'r' }),
      await m.emit('tool_executing', { toolName: 'x', parameters: { id: 1 } }),
      await m.emit('tool_completed', { toolName: 'x', results: null, durationMs: 3 }),
      await m.emit('agent_completed', { status: 'ok', finalResponse: { n: 1 } }),
    ];
    expect(text).toEqual(sent.map((e) => JSON.stringify(e)));
    expect(Object.keys(sent[0]!)).toEqual(['type', 'runId', 'threadId', 'userId', 'seq', 'offset', 'epoch', 'ts', 'agentName', 'extra']);
    // The store's own append (no hub check before it) asserts the header over the data as before.
    const bus = hub.bus as ReturnType<typeof createMemoryBus>;
    const e = bus.buffer.append('u-env', 't', 'r-raw', 'agent_started', { agentName: 'a', seq: 99, userId: 'someone-else' } as never);
    expect([e.envelope.seq, e.envelope.userId]).toEqual([1, 'u-env']);
    await hub.close();
  });

  it("bounds a socket that counts its queue with getBufferedAmount() (Bun's ServerWebSocket shape) as it bounds ws's bufferedAmount: 4408 past the limit", async () => {
    let queued = 0;
    const closes: (number | undefined)[] = [];
    const dropped: number[] = [];
    const text: string[] = [];
    const hub = createConnectionHub({ maxBufferedBytes: 1000, onSlowConsumer: (_c, bytes) => dropped.push(bytes) });
    const bun = { readyState: 1, send: (d: string) => void text.push(d), getBufferedAmount: () => queued, close: (code?: number) => void closes.push(code) };
    hub.addConnection({ connectionId: 'bun', userId: 'u-bun', socket: bun, connectedAt: new Date() });
    expect(await hub.sendToUser('u-bun', { type: 'note', n: 1 })).toBe(1);
    queued = 5000; // the client stopped reading
    expect(await hub.sendToUser('u-bun', { type: 'note', n: 2 })).toBe(0);
    expect(text).toHaveLength(1);
    expect(closes).toEqual([4408]);
    expect(dropped).toEqual([5000]);
    expect(hub.isConnectionActive('u-bun')).toBe(false);
    await hub.close();
  });

  it('delivers to every socket of a user as tabs come and go, and unsubscribes after the last', async () => {
    const bus = createMemoryBus();
    const hub = createConnectionHub({ bus });
    const a: string[] = [];
    const b: string[] = [];
    const c: string[] = [];
    hub.addConnection({ connectionId: 'a', userId: 'tabs', socket: sock(a), connectedAt: new Date() });
    expect(await hub.sendToUser('tabs', { type: 'note', n: 1 })).toBe(1);
    hub.addConnection({ connectionId: 'b', userId: 'tabs', socket: sock(b), connectedAt: new Date() });
    hub.addConnection({ connectionId: 'c', userId: 'tabs', socket: sock(c), connectedAt: new Date() });
    expect(await hub.sendToUser('tabs', { type: 'note', n: 2 })).toBe(3);
    hub.removeConnection('a');
    hub.removeConnection('b');
    expect([...hub.getUserConnections('tabs')]).toEqual(['c']);
    expect(await hub.sendToUser('tabs', { type: 'note', n: 3 })).toBe(1);
    expect([a.length, b.length, c.length]).toEqual([2, 1, 2]);
    hub.removeConnection('c');
    expect(hub.stats().users).toBe(0);
    expect(await bus.publishToUser('tabs', { type: 'note', n: 4 })).toBe(0); // no listener left
    await hub.close();
    await bus.close();
  });

  it('a bus without unsubscribe(user, listener): the hub keeps the function subscribe returned and calls it after the last socket, once', async () => {
    const inner = createMemoryBus();
    const calls: string[] = [];
    // Every Bus method but the optional unsubscribe (a custom bus as the Bus interface allowed before it).
    const bus: Bus = {
      publishEvent: (input) => inner.publishEvent(input),
      publishToUser: (userId, message, options) => inner.publishToUser(userId, message, options),
      position: (userId) => inner.position(userId),
      replayUser: (userId, from) => inner.replayUser(userId, from),
      replay: (userId, runId, afterSeq) => inner.replay(userId, runId, afterSeq),
      subscribe: (userId, listener) => {
        calls.push(`sub:${userId}`);
        const off = inner.subscribe(userId, listener);
        return () => {
          calls.push(`off:${userId}`);
          off();
        };
      },
      close: () => inner.close(),
    };
    const hub = createConnectionHub({ bus });
    const a: string[] = [];
    hub.addConnection({ connectionId: 'a', userId: 'solo', socket: sock(a), connectedAt: new Date() });
    hub.addConnection({ connectionId: 'b', userId: 'solo', socket: sock([]), connectedAt: new Date() });
    hub.removeConnection('a');
    expect(calls).toEqual(['sub:solo']);
    hub.removeConnection('b');
    expect(calls).toEqual(['sub:solo', 'off:solo']);
    expect(await bus.publishToUser('solo', { type: 'note' })).toBe(0);
    hub.addConnection({ connectionId: 'c', userId: 'solo', socket: sock(a), connectedAt: new Date() });
    expect(await bus.publishToUser('solo', { type: 'note' })).toBe(1);
    expect(calls).toEqual(['sub:solo', 'off:solo', 'sub:solo']);
    await hub.close();
    expect(calls).toEqual(['sub:solo', 'off:solo', 'sub:solo', 'off:solo']);
    await inner.close();
  });

  it('memory bus: a second listener of a user gets deliveries too, and each unsubscribes alone', async () => {
    const bus = createMemoryBus();
    const got: string[] = [];
    const l1 = (d: BusDelivery) => (got.push(`1:${d.kind}`), 1);
    const l2 = (d: BusDelivery) => (got.push(`2:${d.kind}`), 1);
    const off1 = bus.subscribe('u', l1);
    const off2 = bus.subscribe('u', l2);
    expect(await bus.publishToUser('u', { type: 'x' })).toBe(2);
    off1();
    expect(await bus.publishToUser('u', { type: 'x' })).toBe(1);
    off2();
    expect(await bus.publishToUser('u', { type: 'x' })).toBe(0);
    expect(got).toEqual(['1:message', '2:message', '2:message']);
    await bus.close();
  });

  it('memory bus: the events of one run reach the listeners subscribed at each event (listeners cached per run follow subscribe and unsubscribe)', () => {
    const bus = createMemoryBus();
    const got: string[] = [];
    const l1 = (d: BusDelivery) => (got.push(`1:${d.kind === 'event' ? d.seq : '-'}`), 1);
    const l2 = (d: BusDelivery) => (got.push(`2:${d.kind === 'event' ? d.seq : '-'}`), 1);
    const slot = {};
    const emit = (type: 'agent_started' | 'agent_thinking', data: { agentName: string } | { reasoning: string }) =>
      bus.publishEvent({ userId: 'u', threadId: 't', runId: 'r', type, data: data as never, runSlot: slot });
    emit('agent_started', { agentName: 'a' }); // no listener yet
    const off1 = bus.subscribe('u', l1);
    emit('agent_thinking', { reasoning: '2' });
    const off2 = bus.subscribe('u', l2);
    emit('agent_thinking', { reasoning: '3' });
    off1();
    emit('agent_thinking', { reasoning: '4' });
    off2();
    emit('agent_thinking', { reasoning: '5' });
    bus.subscribe('u', l1);
    emit('agent_thinking', { reasoning: '6' });
    expect(got).toEqual(['1:2', '1:3', '2:3', '2:4', '1:6']);
  });

  it('remembers maxRuns open runs and, apart, maxRuns completed ones: completed runs never crowd out open ones', async () => {
    const { createUserExecutionContext, createWebSocketManager } = await import('./index.js');
    const hub = createConnectionHub({ maxRuns: 3 });
    const m = (runId: string) => createWebSocketManager(createUserExecutionContext({ userId: 'u', threadId: 't', runId }), { hub });
    const open = ['open-1', 'open-2'].map(m);
    for (const o of open) await o.emit('agent_started', { agentName: 'a' });
    for (let i = 0; i < 5; i++) {
      const done = m(`done-${i}`);
      await done.emit('agent_started', { agentName: 'a' });
      await done.emit('agent_completed', { status: 'ok', finalResponse: null });
    }
    // The open runs are still known (their lifecycle goes on); the 3 latest completions are too.
    expect(hub.runPhase('open-1')).toBe('running');
    expect(hub.runPhase('open-2')).toBe('running');
    expect(['done-2', 'done-3', 'done-4'].map((r) => hub.runPhase(r))).toEqual(['completed', 'completed', 'completed']);
    expect(hub.runPhase('done-0')).toBeUndefined();
    await expect(m('done-4').emit('agent_thinking', { reasoning: 'late' })).rejects.toThrow(/already completed/);
    await open[0]!.emit('agent_completed', { status: 'ok', finalResponse: null });
    expect(hub.stats().runs).toBe(4); // open-2 + three completed
    await hub.close();
  });

  it('on its own memory bus keeps a run\'s state on the store\'s record: a second manager continues the run, and a run the store forgot is forgotten by the hub too', async () => {
    const hub = createConnectionHub({ replay: { maxRuns: 2 } });
    const m = (runId: string) => createWebSocketManager(createUserExecutionContext({ userId: 'u', threadId: 't', runId }), { hub });
    await m('r-1').emit('agent_started', { agentName: 'a' });
    // Another manager of the same run finds its lifecycle (one map, the store's): a second start is refused.
    await expect(m('r-1').emit('agent_started', { agentName: 'a' })).rejects.toThrow(/already sent/);
    await expect(m('r-1').emit('agent_thinking', { reasoning: 'x' })).resolves.toMatchObject({ seq: 2 });
    // Nothing stored for a refused first event: the run is not remembered.
    await expect(m('r-0').emit('agent_thinking', { reasoning: 'x' })).rejects.toThrow(/must come first/);
    expect(hub.runPhase('r-0')).toBeUndefined();
    await m('r-2').emit('agent_started', { agentName: 'a' });
    await m('r-3').emit('agent_started', { agentName: 'a' });
    // The store remembers two runs: r-1 went from it, and from the hub with it.
    expect(hub.runPhase('r-1')).toBeUndefined();
    expect(['r-2', 'r-3'].map((r) => hub.runPhase(r))).toEqual(['running', 'running']);
    await expect(m('r-1').emit('agent_thinking', { reasoning: 'x' })).rejects.toThrow(/must come first/);
    await hub.close();
  });
});

describe('completed runs', () => {
  for (const own of [true, false]) {
    it(`refuse every later emit, to the same manager, another of the owner's, another user's and another thread's (${own ? "the hub's own store: the state is let go at completion" : 'a passed bus: the hub keeps the state'})`, async () => {
      const hub = own ? createConnectionHub() : createConnectionHub({ bus: createMemoryBus() });
      const m = (userId: string, threadId: string) => createWebSocketManager(createUserExecutionContext({ userId, threadId, runId: 'done' }), { hub });
      const first = m('owner', 't1');
      await first.emit('agent_started', { agentName: 'a' });
      await first.emit('agent_completed', { status: 'ok', finalResponse: null });
      expect(hub.runPhase('done')).toBe('completed');
      await expect(first.emit('agent_thinking', { reasoning: 'late' })).rejects.toThrow(/already completed/);
      await expect(m('owner', 't1').emit('agent_started', { agentName: 'again' })).rejects.toThrow(/already completed/);
      await expect(m('intruder', 't1').emit('agent_thinking', { reasoning: 'x' })).rejects.toThrow(CrossUserAccessError);
      await expect(m('owner', 't2').emit('agent_thinking', { reasoning: 'x' })).rejects.toThrow(/belongs to thread "t1"/);
      expect(hub.runPhase('done')).toBe('completed');
      expect(hub.stats().runs).toBe(1);
      await hub.close();
    });
  }

  it('the store keeps each run\'s own thread although a user\'s runs share the thread string while the user stays in one thread', () => {
    const buf = new ReplayBuffer();
    const runs: [string, string][] = [['r1', 't-a'], ['r2', 't-a'], ['r3', 't-b'], ['r4', 't-a']];
    for (const [runId, threadId] of runs) buf.append('u', `${threadId}`, runId, 'agent_started', { agentName: 'a' });
    expect(runs.map(([runId]) => buf.owner(runId))).toEqual(runs.map(([, threadId]) => ({ userId: 'u', threadId })));
  });
});

describe('per-run caches on the emit path', () => {
  it('an emit reaches the tabs of its user as they are at that emit, though the run cached them at its first', async () => {
    const hub = createConnectionHub();
    const a: string[] = [];
    const b: string[] = [];
    hub.addConnection({ connectionId: 'a', userId: 'cache-u', socket: sock(a), connectedAt: new Date() });
    const m = createWebSocketManager(createUserExecutionContext({ userId: 'cache-u', threadId: 't', runId: 'cache-r' }), { hub });
    await m.emit('agent_started', { agentName: 'x' });
    hub.addConnection({ connectionId: 'b', userId: 'cache-u', socket: sock(b), connectedAt: new Date() });
    await m.emit('agent_thinking', { reasoning: 'two tabs' });
    hub.removeConnection('a');
    await m.emit('agent_thinking', { reasoning: 'one tab' });
    hub.removeConnection('b');
    await m.emit('agent_thinking', { reasoning: 'no tab' });
    hub.addConnection({ connectionId: 'a2', userId: 'cache-u', socket: sock(a), connectedAt: new Date() });
    await m.emit('agent_completed', { status: 'ok', finalResponse: null });
    expect(a.map((f) => JSON.parse(f).seq)).toEqual([1, 2, 5]);
    expect(b.map((f) => JSON.parse(f).seq)).toEqual([2, 3]);
    await hub.close();
  });

  it('confirmations: accepted up to the highest seq a socket was sent of a run, across switches between runs; refused above it, for runs never sent, and for runs beyond the last 1,000 switches', async () => {
    const hub = createConnectionHub();
    hub.addConnection({ connectionId: 'c', userId: 'conf-u', socket: sock([]), connectedAt: new Date() });
    const run = (runId: string) => createWebSocketManager(createUserExecutionContext({ userId: 'conf-u', threadId: 't', runId }), { hub });
    const a = run('conf-a');
    const b = run('conf-b');
    await a.emit('agent_started', { agentName: 'a' });
    await a.emit('agent_thinking', { reasoning: '2' });
    await a.emit('agent_thinking', { reasoning: '3' });
    await b.emit('agent_started', { agentName: 'b' });
    await a.emit('agent_thinking', { reasoning: '4' });
    await b.emit('agent_thinking', { reasoning: '2' });
    expect(hub.confirm('c', 'conf-a', 4, 'confirmed')).toBe(true);
    expect(hub.confirm('c', 'conf-a', 3, 'confirmed')).toBe(true);
    expect(hub.confirm('c', 'conf-a', 5, 'confirmed')).toBe(false);
    expect(hub.confirm('c', 'conf-b', 2, 'confirmed')).toBe(true);
    expect(hub.confirm('c', 'conf-b', 3, 'failed')).toBe(false);
    expect(hub.confirm('c', 'conf-never', 1, 'confirmed')).toBe(false);
    expect(hub.confirm('nobody', 'conf-a', 1, 'confirmed')).toBe(false);
    // 1,000 more runs started on the socket: conf-a and conf-b are no longer tracked.
    for (let i = 0; i < 1000; i++) await run(`conf-n${i}`).emit('agent_started', { agentName: 'n' });
    expect(hub.confirm('c', 'conf-a', 1, 'confirmed')).toBe(false);
    expect(hub.confirm('c', 'conf-n1', 1, 'confirmed')).toBe(true);
    expect(hub.confirm('c', 'conf-n999', 1, 'confirmed')).toBe(true);
    expect(hub.stats().confirmations).toEqual({ confirmed: 5, failed: 0 });
    await hub.close();
  });
});
