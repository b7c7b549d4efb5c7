import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { collect, expectSlowConsumerRecovers, nextFrame, runFiveEvents, startFixture, waitUntil } from './helpers.js';
import type { Fixture } from './helpers.js';
import type { MemoryBus } from '../index.js';

/** A `ws` WebSocket class that records every frame the client sends. */
function recordingWebSocket(sent: string[]) {
  return class extends WebSocket {
    override send(data: unknown, ...rest: unknown[]): void {
      sent.push(String(data));
      (super.send as (...a: unknown[]) => void)(data, ...rest);
    }
  };
}

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
    expect(done).toMatchObject({ scope: 'run', runs: { 'run-dup': { replayed: 5, lastSeq: 5, status: 'ok' } } });
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

  it('a client away longer than the replay window gets an explicit gap naming the runs, then everything still stored', async () => {
    // The replay buffer's clock is the test's: "away longer than the window" without waiting for it.
    let clock = Date.now();
    fx = await startFixture({}, { replay: { maxAgeMs: 60_000, now: () => clock } });
    const first = await fx.connect('uma');
    const got1 = collect(first);
    const a = fx.manager('uma', 'run-a');
    await a.emit('agent_started', { agentName: 'a' });
    await a.emit('agent_thinking', { reasoning: 'seen' });
    await got1.until(2);
    // The page goes away, keeping what it would persist (position and per-run cursors).
    const position = first.position()!;
    const cursors = first.cursors();
    await first.close();
    await a.emit('tool_executing', { toolName: 't', parameters: {} }); // lost: older than the window by the time it returns
    await runFiveEvents(fx.manager('uma', 'run-b')); // born and finished while away, lost too
    clock += 61_000;
    await a.emit('tool_completed', { toolName: 't', results: 1, durationMs: 1 }); // still in the window
    const c = fx.manager('uma', 'run-c');
    await c.emit('agent_started', { agentName: 'c' });
    const second = await fx.connect('uma', { position, cursors });
    const gaps: unknown[] = [];
    second.on('gap', (g) => gaps.push(g));
    const got2 = collect(second);
    const done = await nextFrame(second, 'resume_complete');
    expect(gaps).toEqual([
      {
        type: 'replay_gap',
        scope: 'stream',
        reason: 'trimmed',
        epoch: position.epoch,
        fromOffset: 3,
        availableFrom: 9,
        // Most recently active first: run-a (its seq 3 is gone, 4 follows), run-b (all gone).
        runs: [
          { runId: 'run-a', lastSeq: 4, availableFrom: 4 },
          { runId: 'run-b', lastSeq: 5, availableFrom: null },
        ],
        runsTruncated: false,
      },
    ]);
    expect(done).toMatchObject({ scope: 'stream', epoch: position.epoch, offset: 10, replayed: 2, status: 'gap' });
    const events = await got2.until(2);
    expect(events.map((e) => `${e.runId}#${e.seq}`)).toEqual(['run-a#4', 'run-c#1']);
    expect(second.lastSeq('run-b')).toBe(5); // what is gone is skipped, not waited for
    expect(second.position()).toEqual({ epoch: position.epoch, offset: 10 });
  });

  it('a client away while three runs start and finish gets all 15 events, in order per run, with one resume frame', async () => {
    fx = await startFixture();
    const sent: string[] = [];
    const client = await fx.connect('olga', { reconnect: { initialDelayMs: 200, maxDelayMs: 200 }, WebSocket: recordingWebSocket(sent) as never });
    const got = collect(client);
    const disconnected = new Promise((r) => client.on('disconnected', r));
    (fx.server.hub.getConnection(client.connectionId!)!.socket as WebSocket).terminate();
    await disconnected;
    // While nobody is connected: three whole runs.
    for (const run of ['run-x', 'run-y', 'run-z']) await runFiveEvents(fx.manager('olga', run));
    const events = await got.until(15);
    for (const run of ['run-x', 'run-y', 'run-z']) {
      expect(events.filter((e) => e.runId === run).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    }
    expect(events.map((e) => e.offset)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(client.stats).toMatchObject({ reconnects: 1, duplicatesDropped: 0, gaps: 0 });
    expect(sent.filter((f) => f.includes('"resume"'))).toEqual([JSON.stringify({ type: 'resume', epoch: events[0]!.epoch, offset: 0 })]);
  });

  it('1,000 open runs: the client resumes with one small frame and loses nothing (no frame-size cliff)', async () => {
    fx = await startFixture();
    const sent: string[] = [];
    const client = await fx.connect('petra', { reconnect: { initialDelayMs: 300, maxDelayMs: 300 }, WebSocket: recordingWebSocket(sent) as never });
    const got = collect(client);
    const runs = Array.from({ length: 1000 }, (_, i) => fx!.manager('petra', `open-run-${i}`));
    for (const m of runs) await m.emit('agent_started', { agentName: 'a' });
    await got.until(1000, 30_000);
    const disconnected = new Promise((r) => client.on('disconnected', r));
    (fx.server.hub.getConnection(client.connectionId!)!.socket as WebSocket).terminate();
    await disconnected;
    for (const m of runs) {
      await m.emit('agent_thinking', { reasoning: 'while away' });
      await m.emit('agent_completed', { status: 'success', finalResponse: 'done' });
    }
    const events = await got.until(3000, 30_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toHaveLength(3000);
    for (let i = 0; i < 1000; i++) expect(client.lastSeq(`open-run-${i}`), `open-run-${i}`).toBe(3);
    expect(client.stats.duplicatesDropped).toBe(0);
    const resumes = sent.filter((f) => f.includes('"resume"'));
    expect(resumes).toHaveLength(1);
    expect(resumes[0]!.length).toBeLessThan(100);
  });

  it('a run id "__proto__" is resumed like any other', async () => {
    fx = await startFixture();
    const client = await fx.connect('quin', { reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
    const got = collect(client);
    const m = fx.manager('quin', '__proto__');
    await m.emit('agent_started', { agentName: 'a' });
    await got.until(1);
    const disconnected = new Promise((r) => client.on('disconnected', r));
    (fx.server.hub.getConnection(client.connectionId!)!.socket as WebSocket).terminate();
    await disconnected;
    await m.emit('agent_thinking', { reasoning: 'r' });
    await m.emit('tool_executing', { toolName: 't', parameters: {} });
    await m.emit('tool_completed', { toolName: 't', results: 1, durationMs: 1 });
    await m.emit('agent_completed', { status: 'success', finalResponse: 'ok' });
    const events = await got.until(5);
    expect(events.map((e) => [e.runId, e.seq])).toEqual([1, 2, 3, 4, 5].map((s) => ['__proto__', s]));
    expect(client.cursors()).toEqual({ ['__proto__']: 5 });
    expect(Object.getPrototypeOf(client.cursors())).toBe(Object.prototype);
  });

  it('when the server lost the stream (a new epoch), the resume says "reset" and hands over the new epoch', async () => {
    fx = await startFixture();
    const client = await fx.connect('rosa', { reconnect: { initialDelayMs: 100, maxDelayMs: 100 } });
    const got = collect(client);
    await runFiveEvents(fx.manager('rosa', 'run-before'));
    await got.until(5);
    const before = client.position()!;
    const disconnected = new Promise((r) => client.on('disconnected', r));
    (fx.server.hub.getConnection(client.connectionId!)!.socket as WebSocket).terminate();
    await disconnected;
    (fx.server.hub.bus as MemoryBus).buffer.clear(); // what a restart of the process does to the memory bus
    await runFiveEvents(fx.manager('rosa', 'run-after'));
    const gap = await nextFrame(client, 'replay_gap');
    expect(gap).toMatchObject({ scope: 'stream', reason: 'reset', availableFrom: 1 });
    expect(gap.epoch).not.toBe(before.epoch);
    const events = await got.until(10);
    expect(events.slice(5).map((e) => [e.runId, e.seq, e.offset])).toEqual([1, 2, 3, 4, 5].map((s) => ['run-after', s, s]));
    await waitUntil(() => client.position()?.offset === 5, 5000, 'position in the new epoch');
    expect(client.position()!.epoch).toBe(gap.epoch);
  });

  it("another user's run looks unknown on resume: a gap notice, never its events", async () => {
    fx = await startFixture();
    await runFiveEvents(fx.manager('victor', 'run-private'));
    const intruder = await fx.connect('walt');
    const got = collect(intruder);
    const gap = nextFrame(intruder, 'replay_gap');
    const complete = nextFrame(intruder, 'resume_complete');
    intruder.resync('run-private', 0);
    expect(await gap).toMatchObject({ scope: 'run', runId: 'run-private', fromSeq: 1, availableFrom: null, reason: 'unknown_run' });
    const done = await complete;
    expect(done).toMatchObject({ runs: { 'run-private': { replayed: 0, status: 'unknown' } } });
    expect(got.events).toHaveLength(0);
  });

  it('a slow consumer is closed with 4408 at the queue bound and recovers everything by resume', async () => {
    let bufferedAtDrop = -1;
    const limit = 64 * 1024;
    fx = await startFixture({}, { maxBufferedBytes: limit, onSlowConsumer: (_c, b) => (bufferedAtDrop = b) });
    await expectSlowConsumerRecovers(fx, 'xena', limit, () => bufferedAtDrop);
  });
});
