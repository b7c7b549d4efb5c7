import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { collect, nextFrame, runFiveEvents, startFixture, waitUntil } from './helpers.js';
import type { Fixture } from './helpers.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('resume and replay', () => {
  it('drop the socket mid-run, reconnect with the last seq: the rest arrives with no gap and no duplicate', async () => {
    fx = await startFixture();
    const client = await fx.connect('rita', { reconnect: { initialDelayMs: 150, maxDelayMs: 300 } });
    const got = collect(client);
    const m = fx.manager('rita', 'run-resume');
    await m.emit('agent_started', { agentName: 'planner' });
    await m.emit('agent_thinking', { reasoning: 'step 1' });
    await got.until(2);
    const firstConnection = client.connectionId!;
    const disconnected = new Promise((r) => client.on('disconnected', r));
    // Kill the TCP connection from the server side without a close frame (a network drop).
    (fx.server.hub.getConnection(firstConnection)!.socket as WebSocket).terminate();
    await disconnected;
    // Emitted while the user has no socket: only the replay buffer holds these.
    await m.emit('tool_executing', { toolName: 'db', parameters: { id: 1 } });
    await m.emit('tool_completed', { toolName: 'db', results: [1], durationMs: 3 });
    await m.emit('agent_completed', { status: 'success', finalResponse: 'done' });
    const events = await got.until(5);
    expect(client.connectionId).not.toBe(firstConnection);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events.map((e) => e.type)).toEqual(['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']);
    expect(client.stats.reconnects).toBe(1);
    expect(client.stats.duplicatesDropped).toBe(0);
  });

  it('drops duplicates when the server replays what the client already has', async () => {
    fx = await startFixture();
    const client = await fx.connect('sam');
    const got = collect(client);
    await runFiveEvents(fx.manager('sam', 'run-dup'));
    await got.until(5);
    client.resync('run-dup', 0); // ask for everything again
    const done = await nextFrame(client, 'resume_complete');
    expect(done).toMatchObject({ runs: { 'run-dup': { replayed: 5, lastSeq: 5, status: 'ok' } } });
    expect(got.events).toHaveLength(5);
    expect(client.stats.duplicatesDropped).toBe(5);
  });

  it('a tab that joins mid-run holds the early event, fetches the missing ones, and hands all over in order', async () => {
    fx = await startFixture();
    const m = fx.manager('tess', 'run-late');
    await m.emit('agent_started', { agentName: 'a' });
    await m.emit('agent_thinking', { reasoning: 'r' });
    const client = await fx.connect('tess', { gapFillDelayMs: 20 });
    const got = collect(client);
    await m.emit('tool_executing', { toolName: 't', parameters: {} }); // seq 3 arrives first
    const events = await got.until(3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('tells the client explicitly when the requested events were trimmed, then sends what is left', async () => {
    fx = await startFixture({}, { replay: { maxEventsPerRun: 2 } });
    await runFiveEvents(fx.manager('uma', 'run-gap')); // only seq 4 and 5 are still stored
    const gaps: unknown[] = [];
    const client = await fx.connect('uma', { cursors: { 'run-gap': 1 } });
    client.on('gap', (g) => gaps.push(g));
    const got = collect(client);
    const events = await got.until(2);
    expect(gaps).toEqual([{ type: 'replay_gap', runId: 'run-gap', fromSeq: 2, availableFrom: 4, reason: 'trimmed' }]);
    expect(events.map((e) => e.seq)).toEqual([4, 5]);
    expect(client.lastSeq('run-gap')).toBe(5);
  });

  it("another user's run looks unknown on resume: a gap notice, never its events", async () => {
    fx = await startFixture();
    await runFiveEvents(fx.manager('victor', 'run-private'));
    const intruder = await fx.connect('walt');
    const got = collect(intruder);
    const gap = nextFrame(intruder, 'replay_gap');
    const complete = nextFrame(intruder, 'resume_complete');
    intruder.resync('run-private', 0);
    expect(await gap).toMatchObject({ runId: 'run-private', fromSeq: 1, availableFrom: null, reason: 'unknown_run' });
    const done = await complete;
    expect(done).toMatchObject({ runs: { 'run-private': { replayed: 0, status: 'unknown' } } });
    expect(got.events).toHaveLength(0);
  });

  it('a slow consumer is closed with 4408 at the queue bound and recovers everything by resume', async () => {
    let bufferedAtDrop = -1;
    const limit = 64 * 1024;
    fx = await startFixture({}, { maxBufferedBytes: limit, onSlowConsumer: (_c, b) => (bufferedAtDrop = b) });
    const client = await fx.connect('xena', { reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
    const got = collect(client);
    const closes: number[] = [];
    client.on('disconnected', (d) => closes.push(d.code));
    const raw = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause(); // the client stops reading: the server's send queue grows
    const m = fx.manager('xena', 'run-slow');
    await m.emit('agent_started', { agentName: 'bulk' });
    const chunk = 'x'.repeat(32 * 1024);
    let emitted = 1;
    while (fx.server.hub.getUserConnections('xena').size > 0 && emitted < 900) {
      await m.emit('agent_thinking', { reasoning: chunk });
      emitted++;
    }
    expect(fx.server.hub.getUserConnections('xena').size).toBe(0); // dropped, not queued forever
    expect(fx.server.hub.stats().slowConsumerCloses).toBe(1);
    expect(bufferedAtDrop).toBeGreaterThan(limit);
    expect(bufferedAtDrop).toBeLessThan(limit + 2 * chunk.length); // bounded: at most one frame over
    await m.emit('agent_completed', { status: 'success', finalResponse: 'ok' });
    emitted++;
    raw.resume();
    await got.until(emitted, 30_000);
    expect(closes[0]).toBe(4408);
    expect(got.events.map((e) => e.seq)).toEqual(Array.from({ length: emitted }, (_, i) => i + 1));
    await waitUntil(() => fx!.server.hub.getUserConnections('xena').size === 1, 5000, 'reconnected socket');
  });
});
