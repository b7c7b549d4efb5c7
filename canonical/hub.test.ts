import { describe, expect, it } from 'vitest';
import { createConnectionHub, createMemoryBus } from './index.js';
import type { BusDelivery } from './index.js';

const sock = (frames: string[]) => ({ send: (d: string) => frames.push(d), readyState: 1 });

describe('hub bookkeeping for one and several sockets per user', () => {
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
});
