import { describe, expect, it } from 'vitest';
import {
  createConnectionHub,
  createUserExecutionContext,
  createWebSocketManager,
  CrossUserAccessError,
  EventOrderError,
  getDefaultHub,
  InvalidEventError,
  InvalidMessageError,
  missingProtocolMethods,
  frameString,
  WebSocketManagerMode,
} from './index.js';
import type { ConnectionHub, ReplayResult, SocketLike } from './index.js';

/** An in-memory socket: records what was sent. */
function memorySocket(): SocketLike & { frames: Record<string, unknown>[] } {
  const frames: Record<string, unknown>[] = [];
  return { frames, readyState: 1, send: (d: string) => void frames.push(JSON.parse(d) as Record<string, unknown>) };
}

function setup(hub: ConnectionHub = createConnectionHub()) {
  const ctx = createUserExecutionContext({ userId: 'alice', threadId: 'thread-a', runId: 'run-a' });
  return { hub, ctx, m: createWebSocketManager(ctx, { hub }) };
}

async function connect(hub: ConnectionHub, userId: string, connectionId: string, threadId?: string) {
  const socket = memorySocket();
  hub.addConnection({ connectionId, userId, socket, connectedAt: new Date(), ...(threadId ? { threadId } : {}) });
  return socket;
}

describe('scoped manager', () => {
  it('implements all 11 protocol operations and reports UNIFIED mode', () => {
    const { m } = setup();
    expect(missingProtocolMethods(m)).toEqual([]);
    expect(missingProtocolMethods({ addConnection() {} })).toHaveLength(10);
    expect(m.mode).toBe(WebSocketManagerMode.UNIFIED);
    expect(Object.values(WebSocketManagerMode)).toEqual(['unified', 'isolated', 'emergency', 'degraded']);
  });

  it('refuses every operation that names another user with CrossUserAccessError', async () => {
    const { m, hub } = setup();
    const bobSocket = await connect(hub, 'bob', 'conn-bob');
    const calls: [string, () => unknown][] = [
      ['getUserConnections', () => m.getUserConnections('bob')],
      ['isConnectionActive', () => m.isConnectionActive('bob')],
      ['getConnectionHealth', () => m.getConnectionHealth('bob')],
    ];
    for (const [name, call] of calls) expect(call, name).toThrow(CrossUserAccessError);
    await expect(m.sendToUser('bob', { type: 'note' })).rejects.toMatchObject({ code: 'ERR_CROSS_USER' });
    await expect(m.emitCriticalEvent('bob', 'agent_started', { agentName: 'x' })).rejects.toBeInstanceOf(CrossUserAccessError);
    await expect(
      m.addConnection({ connectionId: 'c-evil', userId: 'bob', socket: memorySocket(), connectedAt: new Date() }),
    ).rejects.toBeInstanceOf(CrossUserAccessError);
    // A message may not name another user as its recipient either.
    await expect(m.sendToUser('alice', { type: 'note', userId: 'bob' })).rejects.toBeInstanceOf(CrossUserAccessError);
    // Bob's connection is invisible to alice's manager.
    expect(m.getConnection('conn-bob')).toBeUndefined();
    expect(m.getConnectionIdByWebSocket(bobSocket)).toBeUndefined();
    expect(m.updateConnectionThread('conn-bob', 'thread-a')).toBe(false);
    await m.removeConnection('conn-bob');
    expect(hub.getConnection('conn-bob')).toBeDefined();
    expect(bobSocket.frames).toEqual([]); // nothing ever reached bob
  });

  it('refuses to emit into a run owned by another user', async () => {
    const hub = createConnectionHub();
    const bob = createWebSocketManager(createUserExecutionContext({ userId: 'bob', threadId: 't-b', runId: 'shared-run' }), { hub });
    const alice = createWebSocketManager(createUserExecutionContext({ userId: 'alice', threadId: 't-b', runId: 'shared-run' }), { hub });
    await bob.emit('agent_started', { agentName: 'b' });
    await expect(alice.emit('agent_thinking', { reasoning: 'hijack' })).rejects.toBeInstanceOf(CrossUserAccessError);
  });

  it('registers, finds and removes its own connections', async () => {
    const { m } = setup();
    const socket = memorySocket();
    await m.addConnection({ connectionId: 'c1', userId: 'alice', socket, connectedAt: new Date() });
    expect(m.getUserConnections('alice')).toEqual(new Set(['c1']));
    expect(m.getConnectionIdByWebSocket(socket)).toBe('c1');
    expect(m.isConnectionActive('alice')).toBe(true);
    expect(m.updateConnectionThread('c1', 'thread-z')).toBe(true);
    expect(m.getConnection('c1')?.threadId).toBe('thread-z');
    await expect(m.addConnection({ connectionId: 'c1', userId: 'alice', socket: memorySocket(), connectedAt: new Date() })).rejects.toMatchObject({
      code: 'ERR_DUPLICATE_CONNECTION',
    });
    await m.removeConnection('c1');
    await m.removeConnection('c1'); // idempotent
    expect(m.isConnectionActive('alice')).toBe(false);
  });

  it('sendToThread reaches only this user’s sockets bound to the thread (a thread id is never a user id)', async () => {
    const { m, hub } = setup();
    const inThread = await connect(hub, 'alice', 'a1', 'thread-a');
    const other = await connect(hub, 'alice', 'a2', 'thread-b');
    // A user whose id equals the thread id: the reference delivered thread messages to it.
    const namesake = await connect(hub, 'thread-a', 'x1', 'thread-a');
    expect(await m.sendToThread('thread-a', { type: 'note', n: 1 })).toBe(true);
    expect(inThread.frames).toEqual([{ type: 'note', n: 1 }]);
    expect(other.frames).toEqual([]);
    expect(namesake.frames).toEqual([]);
  });

  it('refuses critical event types and non-objects on sendToUser', async () => {
    const { m } = setup();
    await expect(m.sendToUser('alice', { type: 'agent_started', agentName: 'x' })).rejects.toBeInstanceOf(InvalidMessageError);
    await expect(m.sendToUser('alice', [] as never)).rejects.toBeInstanceOf(InvalidMessageError);
  });

  it('works with no hub argument (process-wide default hub)', async () => {
    const ctx = createUserExecutionContext({ userId: 'solo', threadId: 't-solo', runId: 'r-solo' });
    const m = createWebSocketManager(ctx);
    expect(m.hub).toBe(getDefaultHub());
    const socket = memorySocket();
    await m.addConnection({ connectionId: 'solo-1', userId: 'solo', socket, connectedAt: new Date() });
    const env = await m.emit('agent_started', { agentName: 'default-hub' });
    expect(env.seq).toBe(1);
    expect(socket.frames).toHaveLength(1);
    await m.removeConnection('solo-1');
  });

  it('validates plain-object contexts passed directly', () => {
    expect(() => createWebSocketManager({ userId: 'mock', threadId: 't', runId: 'r' })).toThrow(/placeholder/);
  });
});

describe('event lifecycle', () => {
  it('assigns a gapless seq from 1 per run; refused events consume no seq', async () => {
    const { m, hub } = setup();
    const socket = await connect(hub, 'alice', 'c1');
    const other = createWebSocketManager(createUserExecutionContext({ userId: 'alice', threadId: 'thread-a', runId: 'run-b' }), { hub });
    expect((await m.emit('agent_started', { agentName: 'a' })).seq).toBe(1);
    await expect(m.emit('agent_started', { agentName: 'a' })).rejects.toBeInstanceOf(EventOrderError);
    expect((await other.emit('agent_started', { agentName: 'b' })).seq).toBe(1);
    expect((await m.emit('agent_thinking', { reasoning: 'r' })).seq).toBe(2);
    expect(socket.frames.map((f) => [f.runId, f.seq])).toEqual([
      ['run-a', 1],
      ['run-b', 1],
      ['run-a', 2],
    ]);
  });

  it('emitNow on the in-memory bus: written before it returns undefined, same frames and seq as emit, refusals thrown', async () => {
    const { m, hub } = setup();
    const socket = await connect(hub, 'alice', 'c1');
    expect(m.emitNow('agent_started', { agentName: 'a' })).toBeUndefined();
    expect(socket.frames).toHaveLength(1); // on the socket already: nothing to await
    // Refusals are thrown, not returned as rejections, and consume no seq.
    expect(() => m.emitNow('agent_started', { agentName: 'again' })).toThrow(EventOrderError);
    expect(() => m.emitNow('agent_thinking', { reasoning: 1 } as never)).toThrow(InvalidEventError);
    expect(() => m.emitNow('agent_thinking', { reasoning: 'r', seq: 9 } as never)).toThrow(InvalidEventError);
    const data = { toolName: 't', parameters: { q: 1 } };
    expect(m.emitNow('tool_executing', data)).toBeUndefined();
    data.parameters.q = 2; // serialised at the call: a later change is not sent
    // emit and emitNow interleave in one run's order; emit still resolves its envelope.
    const envelope = await m.emit('tool_completed', { toolName: 't', results: null, durationMs: 0 });
    expect(envelope).toMatchObject({ type: 'tool_completed', seq: 3, offset: 3, runId: 'run-a' });
    expect(m.emitNow('agent_completed', { status: 'success', finalResponse: 'ok' })).toBeUndefined();
    expect(() => m.emitNow('agent_thinking', { reasoning: 'late' })).toThrow(/already completed/);
    expect(socket.frames.map((f) => [f.type, f.seq, f.offset])).toEqual([
      ['agent_started', 1, 1],
      ['tool_executing', 2, 2],
      ['tool_completed', 3, 3],
      ['agent_completed', 4, 4],
    ]);
    expect(socket.frames[1]).toMatchObject({ runId: 'run-a', threadId: 'thread-a', userId: 'alice', parameters: { q: 1 } });
    expect(Object.keys(socket.frames[0]!)).toEqual(['type', 'runId', 'threadId', 'userId', 'seq', 'offset', 'epoch', 'ts', 'agentName']);
    // The stored frames are the ones sent: a resume replays them byte for byte.
    const stored = hub.replay('alice', 'run-a', 0) as ReplayResult;
    expect(stored).toMatchObject({ status: 'ok', lastSeq: 4 });
    expect(stored.status === 'ok' && stored.frames.map((f) => JSON.parse(frameString(f.text)) as unknown)).toEqual(socket.frames);
    // Another user's run is refused synchronously too, and reaches no one.
    const bob = createWebSocketManager(createUserExecutionContext({ userId: 'bob', threadId: 'thread-a', runId: 'run-a' }), { hub });
    expect(() => bob.emitNow('agent_thinking', { reasoning: 'hijack' })).toThrow(CrossUserAccessError);
    expect(socket.frames).toHaveLength(4);
    await hub.close();
    expect(() => m.emitNow('agent_started', { agentName: 'closed' })).toThrow();
  });

  it('emitNow from inside a delivery (a socket whose send emits into another run) is synchronous too', async () => {
    const { m, hub } = setup();
    const inner = createWebSocketManager(createUserExecutionContext({ userId: 'alice', threadId: 'thread-a', runId: 'run-inner' }), { hub });
    const frames: Record<string, unknown>[] = [];
    let nested: unknown = 'not called';
    const socket: SocketLike = {
      readyState: 1,
      send: (d: string) => {
        const f = JSON.parse(d) as Record<string, unknown>;
        frames.push(f);
        if (f.runId === 'run-a') nested = inner.emitNow('agent_started', { agentName: 'inner' });
      },
    };
    hub.addConnection({ connectionId: 'c1', userId: 'alice', socket, connectedAt: new Date() });
    expect(m.emitNow('agent_started', { agentName: 'outer' })).toBeUndefined();
    expect(nested).toBeUndefined(); // delivered within the outer call, not left as a promise
    expect(frames.map((f) => [f.runId, f.seq, f.offset])).toEqual([
      ['run-a', 1, 1],
      ['run-inner', 1, 2],
    ]);
    expect(m.emitNow('agent_thinking', { reasoning: 'after' })).toBeUndefined(); // the spare input is back
    expect(frames).toHaveLength(3);
  });

  it('keeps order for emits that are not awaited one by one', async () => {
    const { m, hub } = setup();
    const socket = await connect(hub, 'alice', 'c1');
    await Promise.all([
      m.emit('agent_started', { agentName: 'a' }),
      m.emit('tool_executing', { toolName: 't', parameters: {} }),
      m.emit('tool_completed', { toolName: 't', results: null, durationMs: 0 }),
      m.emit('agent_completed', { status: 'success', finalResponse: null }),
    ]);
    expect(socket.frames.map((f) => [f.type, f.seq])).toEqual([
      ['agent_started', 1],
      ['tool_executing', 2],
      ['tool_completed', 3],
      ['agent_completed', 4],
    ]);
  });

  const refusals: [string, [string, Record<string, unknown>][], RegExp][] = [
    ['thinking before start', [['agent_thinking', { reasoning: 'r' }]], /agent_started must come first/],
    ['tool_completed with no tool_executing', [['agent_started', { agentName: 'a' }], ['tool_completed', { toolName: 't', results: 1, durationMs: 1 }]], /no open tool_executing/],
    [
      'tool_completed for a different tool',
      [
        ['agent_started', { agentName: 'a' }],
        ['tool_executing', { toolName: 'search', parameters: {} }],
        ['tool_completed', { toolName: 'write', results: 1, durationMs: 1 }],
      ],
      /"write"/,
    ],
    ['a second agent_started', [['agent_started', { agentName: 'a' }], ['agent_started', { agentName: 'a' }]], /already sent/],
    [
      'anything after agent_completed',
      [
        ['agent_started', { agentName: 'a' }],
        ['agent_completed', { status: 'success', finalResponse: 'x' }],
        ['agent_thinking', { reasoning: 'late' }],
      ],
      /already completed/,
    ],
  ];
  for (const [name, steps, reason] of refusals) {
    it(`refuses ${name} with EventOrderError`, async () => {
      const { m, hub } = setup();
      const socket = await connect(hub, 'alice', 'c1');
      const last = steps.at(-1)!;
      for (const [type, data] of steps.slice(0, -1)) await m.emitCriticalEvent('alice', type, data);
      const err = await m.emitCriticalEvent('alice', last[0], last[1]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventOrderError);
      expect((err as EventOrderError).code).toBe('ERR_EVENT_ORDER');
      expect((err as Error).message).toMatch(reason);
      expect(socket.frames).toHaveLength(steps.length - 1); // the refused event reached no one
    });
  }

  it('pairs repeated calls of one tool by count', async () => {
    const { m } = setup();
    await m.emit('agent_started', { agentName: 'a' });
    await m.emit('tool_executing', { toolName: 't', parameters: {} });
    await m.emit('tool_executing', { toolName: 't', parameters: {} });
    await m.emit('tool_completed', { toolName: 't', results: 1, durationMs: 1 });
    await m.emit('tool_completed', { toolName: 't', results: 2, durationMs: 1 });
    await expect(m.emit('tool_completed', { toolName: 't', results: 3, durationMs: 1 })).rejects.toBeInstanceOf(EventOrderError);
  });

  const invalid: [string, string, Record<string, unknown>, RegExp][] = [
    ['unknown type', 'agent_error', { error: 'x' }, /must be one of/],
    ['missing agentName', 'agent_started', {}, /agentName/],
    ['non-object parameters', 'tool_executing', { toolName: 't', parameters: 'x' }, /parameters/],
    ['negative durationMs', 'tool_completed', { toolName: 't', results: 1, durationMs: -1 }, /durationMs/],
    ['missing finalResponse', 'agent_completed', { status: 'success' }, /finalResponse/],
    ['spoofed envelope field', 'agent_started', { agentName: 'a', userId: 'bob' }, /userId/],
  ];
  for (const [name, type, data, reason] of invalid) {
    it(`refuses ${name} with InvalidEventError`, async () => {
      const { m } = setup();
      const err = await m.emitCriticalEvent('alice', type, data).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidEventError);
      expect((err as Error).message).toMatch(reason);
    });
  }
});
