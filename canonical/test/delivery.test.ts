import { afterEach, describe, expect, it } from 'vitest';
import { collect, nextFrame, runFiveEvents, startFixture, waitUntil } from './helpers.js';
import type { Fixture } from './helpers.js';
import { CRITICAL_EVENT_TYPES, SUBPROTOCOL } from '../index.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('delivery over real sockets', () => {
  it('golden path: token → connect → five events arrive in order with every required field', async () => {
    fx = await startFixture();
    const client = await fx.connect('alice');
    expect(client.userId).toBe('alice');
    expect(client.socket?.protocol).toBe(SUBPROTOCOL); // the token entry is never the selected protocol
    const got = collect(client);
    const sent = await runFiveEvents(fx.manager('alice', 'run-1', 'thread-a'));
    const events = await got.until(5);
    expect(events.map((e) => e.type)).toEqual([...CRITICAL_EVENT_TYPES]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events).toEqual(sent);
    for (const e of events) {
      expect(e).toMatchObject({ runId: 'run-1', threadId: 'thread-a', userId: 'alice' });
      expect(typeof e.ts).toBe('number');
    }
    const [started, thinking, executing, completedTool, completed] = events;
    expect(started).toMatchObject({ agentName: 'triage' });
    expect(thinking).toMatchObject({ reasoning: 'looking up the order' });
    expect(executing).toMatchObject({ toolName: 'search', parameters: { q: 'order 42' } });
    expect(completedTool).toMatchObject({ toolName: 'search', results: { hits: 1 }, durationMs: 12 });
    expect(completed).toMatchObject({ status: 'success', finalResponse: 'Order 42 shipped.' });
  });

  it('with per-message deflate negotiated, events go the ordinary (compressed) way, in order with the messages between them', async () => {
    // Pre-encoded frames (ws-frame.ts) are only for sockets without deflate: here every frame must
    // queue behind the compressor like any other, or order would break.
    fx = await startFixture({ perMessageDeflate: true });
    const client = await fx.connect('carol');
    expect((client.socket as unknown as { extensions: string }).extensions).toMatch(/permessage-deflate/);
    const frames: Record<string, unknown>[] = [];
    (client.socket as unknown as { on(e: 'message', f: (d: Buffer) => void): void }).on('message', (d) => frames.push(JSON.parse(d.toString('utf8')) as Record<string, unknown>));
    const m = fx.manager('carol', 'run-deflate');
    const big = 'x'.repeat(4096); // above ws's deflate threshold
    await m.emit('agent_started', { agentName: 'triage' });
    await m.sendToUser('carol', { type: 'note', n: 1, pad: big }); // compressed asynchronously: the next event must wait for it
    await m.emit('agent_thinking', { reasoning: big });
    await m.sendToUser('carol', { type: 'note', n: 2 });
    await m.emit('agent_completed', { status: 'success', finalResponse: 'done' });
    await waitUntil(() => frames.filter((f) => f.type !== 'connection_established').length >= 5);
    expect(frames.filter((f) => f.type !== 'connection_established').map((f) => `${String(f.type)}:${String(f.seq ?? f.n)}`)).toEqual([
      'agent_started:1', 'note:1', 'agent_thinking:2', 'note:2', 'agent_completed:3',
    ]);
    expect(frames.find((f) => f.type === 'agent_thinking')).toMatchObject({ reasoning: big });
  });

  it('isolation: 200 concurrent users each get exactly their own five events, in order (100% success)', async () => {
    fx = await startFixture();
    const users = Array.from({ length: 200 }, (_, i) => `user-${String(i).padStart(3, '0')}`);
    const clients = await Promise.all(users.map((u) => fx!.connect(u)));
    const inboxes = clients.map((c) => collect(c));
    await Promise.all(users.map((u, i) => runFiveEvents(fx!.manager(u, `run-${u}`), `tool-${i}`)));
    await Promise.all(inboxes.map((box) => box.until(5, 20_000)));
    // Give any stray cross-delivery a moment to show up before judging "exactly five".
    await new Promise((r) => setTimeout(r, 100));
    const ok = users.filter((u, i) => {
      const events = inboxes[i]!.events;
      return (
        events.length === 5 &&
        events.every((e, k) => e.userId === u && e.runId === `run-${u}` && e.seq === k + 1 && e.type === CRITICAL_EVENT_TYPES[k]) &&
        events[2]!.type === 'tool_executing' &&
        (events[2] as { toolName: string }).toolName === `tool-${i}`
      );
    });
    const successRate = ok.length / users.length;
    expect(successRate).toBe(1);
  });

  it('three tabs of one user each get every event exactly once; another user gets nothing', async () => {
    fx = await startFixture();
    const tabs = await Promise.all([fx.connect('bob'), fx.connect('bob'), fx.connect('bob')]);
    const other = await fx.connect('carol');
    const inboxes = tabs.map((t) => collect(t));
    const otherInbox = collect(other);
    const m = fx.manager('bob', 'run-tabs');
    expect(m.getUserConnections('bob').size).toBe(3);
    await runFiveEvents(m);
    for (const box of inboxes) {
      const events = await box.until(5);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    }
    await new Promise((r) => setTimeout(r, 100));
    for (const box of inboxes) expect(box.events).toHaveLength(5);
    for (const t of tabs) expect(t.stats.duplicatesDropped).toBe(0);
    expect(otherInbox.events).toHaveLength(0);
  });

  it('sendToThread reaches only this user’s connections bound to that thread', async () => {
    fx = await startFixture();
    const inThread = await fx.connect('dana', { threadId: 'thread-x' });
    const elsewhere = await fx.connect('dana', { threadId: 'thread-y' });
    const unbound = await fx.connect('dana');
    // Another user bound to the same thread id must not receive dana's message.
    const stranger = await fx.connect('erin', { threadId: 'thread-x' });
    const seen = new Map<string, string[]>();
    for (const [name, c] of Object.entries({ inThread, elsewhere, unbound, stranger })) {
      seen.set(name, []);
      c.on('frame', (f) => {
        if (f.type === 'note') seen.get(name)!.push(String(f.text));
      });
    }
    const m = fx.manager('dana', 'run-thread', 'thread-x');
    expect(await m.sendToThread('thread-x', { type: 'note', text: 'hello thread x' })).toBe(true);
    expect(await m.sendToThread('thread-nobody', { type: 'note', text: 'lost' })).toBe(false);
    await m.sendToUser('dana', { type: 'note', text: 'to every tab' });
    await waitUntil(() => seen.get('unbound')!.length === 1, 5000, 'user-wide note');
    expect(seen.get('inThread')).toEqual(['hello thread x', 'to every tab']);
    expect(seen.get('elsewhere')).toEqual(['to every tab']);
    expect(seen.get('unbound')).toEqual(['to every tab']);
    expect(seen.get('stranger')).toEqual([]);

    // Rebinding by frame moves the connection to another thread.
    unbound.bindThread('thread-x');
    await nextFrame(unbound, 'thread_bound');
    expect(await m.sendToThread('thread-x', { type: 'note', text: 'second' })).toBe(true);
    await waitUntil(() => seen.get('unbound')!.length === 2, 5000, 'thread note after bind');
    expect(seen.get('unbound')![1]).toBe('second');
    expect(seen.get('stranger')).toEqual([]);
  });

  it('delivery confirmations are accepted and counted; a confirmation for an unsent event is refused', async () => {
    fx = await startFixture();
    const client = await fx.connect('frank');
    const got = collect(client);
    const m = fx.manager('frank', 'run-confirm');
    await m.emit('agent_started', { agentName: 'a' });
    await got.until(1);
    client.confirm('run-confirm', 1);
    const ack = await nextFrame(client, 'event_confirmation_received');
    expect(ack).toMatchObject({ runId: 'run-confirm', seq: 1, status: 'confirmed' });
    client.confirm('run-confirm', 7);
    const err = await nextFrame(client, 'error');
    expect(err).toMatchObject({ code: 'ERR_UNKNOWN_EVENT' });
    const health = m.getConnectionHealth('frank');
    expect(health.connections[0]!.confirmations).toEqual({ confirmed: 1, failed: 0 });
    expect(fx.server.hub.stats().confirmations.confirmed).toBe(1);
  });

  it('answers app-level ping frames and reports connection health', async () => {
    fx = await startFixture();
    const client = await fx.connect('gina');
    client.send({ type: 'ping' });
    const pong = await nextFrame(client, 'pong');
    expect(typeof pong.ts).toBe('number');
    const m = fx.manager('gina', 'run-h');
    expect(m.isConnectionActive('gina')).toBe(true);
    const health = m.getConnectionHealth('gina');
    expect(health).toMatchObject({ userId: 'gina', totalConnections: 1, activeConnections: 1, hasActiveConnections: true });
    expect(health.connections[0]!.connectionId).toBe(client.connectionId);
    // The connection keeps its connect time as a number; the report still gets the ISO date of it.
    const connectedAt = Date.parse(health.connections[0]!.connectedAt);
    expect(connectedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(connectedAt).toBeLessThanOrEqual(Date.now());
    expect(fx.server.hub.getConnection(client.connectionId!)!.connectedAt).toBeInstanceOf(Date);
    await client.close();
    await waitUntil(() => !m.isConnectionActive('gina'), 5000, 'connection removal');
    expect(m.getUserConnections('gina').size).toBe(0);
  });
});
