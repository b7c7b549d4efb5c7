import { describe, expect, it } from 'vitest';
import { createConnectionHub, createWebSocketManager, hubOperations } from './index.js';
import type { ScopedWebSocketManager } from './index.js';

const sock = (frames: string[]) => ({ send: (d: string) => frames.push(d), readyState: 1 });
const ctx = (userId: string) => ({ userId, threadId: `thr_${userId}`, runId: `run_${userId}` });

describe('privileged hub operations', () => {
  it('connect/disconnect synchronously, in the one registry every per-user manager reads', async () => {
    const hub = createConnectionHub();
    const ops = hubOperations(hub);
    const alice: string[] = [];
    const id = ops.connect('alice', sock(alice), { greeting: (connectionId) => ({ type: 'hello', connectionId }) });
    expect(id).toMatch(/^conn_[0-9a-f]{12}$/);
    expect(JSON.parse(alice[0]!)).toEqual({ type: 'hello', connectionId: id });
    // the canonical manager of that user sends to the socket registered through the privileged path
    const m = createWebSocketManager(ctx('alice'), { hub });
    expect(m.getUserConnections('alice')).toEqual(new Set([id]));
    await m.emit('agent_started', { agentName: 'a' });
    expect(JSON.parse(alice.at(-1)!)).toMatchObject({ type: 'agent_started', runId: 'run_alice' });
    // and the other way round: a socket registered through a manager is counted here
    const bob: string[] = [];
    await createWebSocketManager(ctx('bob'), { hub }).addConnection({ connectionId: 'b1', userId: 'bob', socket: sock(bob), connectedAt: new Date() });
    expect(ops.listConnectedUsers().sort()).toEqual(['alice', 'bob']);
    expect([ops.connectionCount(), ops.connectionCount('bob'), ops.isOnline('bob'), ops.isOnline('carol')]).toEqual([2, 1, true, false]);
    expect(ops.disconnect(id)).toBe(true);
    expect(ops.disconnect(id)).toBe(false);
    expect(ops.listConnectedUsers()).toEqual(['bob']);
    await hub.close();
  });

  it('sendToUser returns the sockets written to synchronously; broadcastAll reaches every user; health counts', async () => {
    const hub = createConnectionHub();
    const ops = hubOperations(hub);
    const a: string[] = [];
    const b: string[] = [];
    ops.connect('u1', sock(a));
    ops.connect('u1', sock(a));
    ops.connect('u2', sock(b));
    expect(ops.sendToUser('u1', { type: 'note' })).toBe(2);
    expect(ops.sendToUser('nobody', { type: 'note' })).toBe(0);
    expect(a.length).toBe(2); // synchronously written, no await in between
    expect(ops.broadcastAll({ type: 'announcement', text: 'hi' })).toBe(3);
    expect(b.map((f) => JSON.parse(f).type)).toEqual(['announcement']);
    const h = ops.health();
    expect(h).toMatchObject({ status: 'ok', users: 2, connections: 3, delivered: 5, failed: 0 });
    expect(h.uptimeMs).toBeGreaterThanOrEqual(0);
    // critical events are refused as plain messages, as on the per-user path
    expect(() => ops.sendToUser('u1', { type: 'agent_started' })).toThrow(/critical event/);
    await hub.close();
    expect(ops.health().status).toBe('closed');
  });

  it('with an asynchronous bus: counts local sockets and reports a failed publish instead of an unhandled rejection', async () => {
    const failing = createConnectionHub();
    const bus = failing.bus;
    const errors: unknown[] = [];
    const original = bus.publishToUser.bind(bus);
    bus.publishToUser = (userId, message, options) => Promise.resolve(original(userId, message, options)).then(() => Promise.reject(new Error('redis down')));
    const ops = hubOperations(failing, { onError: (e) => errors.push(e) });
    ops.connect('u', sock([]));
    expect(ops.sendToUser('u', { type: 'note' })).toBe(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(String(errors[0])).toMatch(/redis down/);
    await failing.close();
  });

  it('is never reachable from a per-user manager', () => {
    const m: ScopedWebSocketManager = createWebSocketManager(ctx('alice'), { hub: createConnectionHub() });
    for (const op of ['connect', 'disconnect', 'broadcastAll', 'listConnectedUsers', 'connectionCount', 'isOnline', 'health', 'disconnectAll', 'emitTo']) {
      expect((m as unknown as Record<string, unknown>)[op], op).toBeUndefined();
    }
  });

  it('mode, disconnectAll and emit of an event named by a string, for any user', async () => {
    const hub = createConnectionHub();
    const ops = hubOperations(hub);
    expect(ops.mode).toBe('isolated');
    const a: string[] = [];
    const b: string[] = [];
    ops.connect('u1', sock(a));
    ops.connect('u2', sock(b));
    // the run the data names; envelope keys are routing, not payload
    await ops.emitTo('u1', 'agent_started', { runId: 'r1', threadId: 't1', timestamp: 'x', agentName: 'triage' });
    expect(JSON.parse(a.at(-1)!)).toMatchObject({ type: 'agent_started', userId: 'u1', runId: 'r1', threadId: 't1', seq: 1, agentName: 'triage' });
    expect(JSON.parse(a.at(-1)!)).not.toHaveProperty('timestamp');
    // no run named: one per user, afresh at each agent_started, so a second job never collides with the first
    await ops.emitTo('u2', 'agent_started', { agentName: 'x' });
    await ops.emitTo('u2', 'agent_completed', { status: 'completed', finalResponse: 'ok' });
    await ops.emitTo('u2', 'agent_started', { agentName: 'x' });
    const runs = b.map((f) => JSON.parse(f) as { runId: string; seq: number });
    expect(runs[0]!.runId).toBe(runs[1]!.runId);
    expect(runs[2]!.runId).not.toBe(runs[0]!.runId);
    expect(runs.map((r) => r.seq)).toEqual([1, 2, 1]);
    // any other type is a plain message; u1 saw nothing of u2's events
    await ops.emitTo('u1', 'system_message', { message: 'hi' });
    expect(JSON.parse(a.at(-1)!)).toMatchObject({ type: 'system_message', userId: 'u1', message: 'hi' });
    expect(a).toHaveLength(2);
    await expect(ops.emitTo('u1', 'tool_completed', { toolName: 't' })).rejects.toThrow(/results/);
    expect(ops.disconnectAll()).toBe(2);
    expect([ops.connectionCount(), ops.listConnectedUsers()]).toEqual([0, []]);
    await hub.close();
  });
});
