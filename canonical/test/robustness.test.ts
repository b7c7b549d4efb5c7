import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { collect, nextFrame, runFiveEvents, startFixture, waitUntil } from './helpers.js';
import type { Fixture } from './helpers.js';
import { SUBPROTOCOL } from '../index.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('bad client frames and dead sockets', () => {
  it('answers invalid JSON, unknown types, binary and malformed frames with error frames and keeps the connection', async () => {
    fx = await startFixture();
    const client = await fx.connect('ivan');
    const bystander = await fx.connect('judy');
    const bystanderFrames: string[] = [];
    bystander.on('frame', (f) => bystanderFrames.push(f.type));
    const errors: { code: string; message: string }[] = [];
    client.on('error', (e) => errors.push(e));
    const raw = client.socket as unknown as WebSocket;
    raw.send('{"type": "resume", runs:');
    raw.send(JSON.stringify({ type: 'subscribe_everything' }));
    raw.send(Buffer.from([1, 2, 3]), { binary: true });
    raw.send(JSON.stringify([1, 2]));
    raw.send(JSON.stringify({ type: 'resume', runs: { 'run-a': -1 } }));
    raw.send(JSON.stringify({ type: 'event_confirmation', runId: 'run-a', seq: 1, status: 'maybe' }));
    raw.send(JSON.stringify({ type: 'bind_thread', threadId: 'default' }));
    await waitUntil(() => errors.length === 7, 5000, 'seven error frames');
    expect(errors.map((e) => e.code)).toEqual([
      'ERR_INVALID_JSON',
      'ERR_UNKNOWN_TYPE',
      'ERR_BINARY_FRAME',
      'ERR_BAD_FRAME',
      'ERR_BAD_FRAME',
      'ERR_BAD_FRAME',
      'ERR_BAD_FRAME',
    ]);
    expect(errors[1]!.message).toContain('subscribe_everything');
    // Still connected and served.
    client.send({ type: 'ping' });
    await nextFrame(client, 'pong');
    const inbox = collect(client);
    await runFiveEvents(fx.manager('ivan', 'run-after-garbage'));
    await inbox.until(5);
    expect(bystanderFrames).toEqual([]);
  });

  it('answers invalid UTF-8 like any malformed frame (ERR_INVALID_UTF8, no 1007 close) and keeps serving', async () => {
    fx = await startFixture();
    const client = await fx.connect('ursa');
    const errors: { code: string }[] = [];
    client.on('error', (e) => errors.push(e));
    const closes: number[] = [];
    client.on('disconnected', (d) => closes.push(d.code));
    const raw = client.socket as unknown as WebSocket;
    // A text frame (binary: false) with bytes that are not UTF-8: a lone continuation byte, an overlong NUL.
    raw.send(Buffer.from([0x7b, 0x80, 0x7d]), { binary: false });
    raw.send(Buffer.from([0xc0, 0x80]), { binary: false });
    await waitUntil(() => errors.length === 2, 5000, 'two error frames');
    expect(errors.map((e) => e.code)).toEqual(['ERR_INVALID_UTF8', 'ERR_INVALID_UTF8']);
    const inbox = collect(client);
    await runFiveEvents(fx.manager('ursa', 'run-after-bad-utf8'));
    await inbox.until(5);
    expect(closes).toEqual([]);
  });

  it('refuses malformed resumes before any lookup, identically for a foreign run and an unknown one', async () => {
    fx = await startFixture({ maxResumeRuns: 3 });
    await runFiveEvents(fx.manager('owner', 'run-owned'));
    const client = await fx.connect('prober');
    const frames: Record<string, unknown>[] = [];
    client.on('frame', (f) => frames.push(f));
    const answer = async (frame: Record<string, unknown>) => {
      const from = frames.length;
      client.send(frame);
      await waitUntil(() => frames.slice(from).some((f) => f.type === 'resume_complete' || f.type === 'error'), 5000, 'an answer');
      return frames.slice(from).map((f) => JSON.stringify(f).replaceAll('run-owned', 'RUN').replaceAll('run-nobody', 'RUN'));
    };
    const { epoch } = client.position()!;
    const malformed: Record<string, unknown>[] = [
      { type: 'resume', epoch, offset: 1e21 },
      { type: 'resume', epoch, offset: -1 },
      { type: 'resume', epoch, offset: 1.5 },
      { type: 'resume', epoch, offset: '3' },
      { type: 'resume', epoch: 'x'.repeat(65), offset: 0 },
      { type: 'resume', epoch: 'bad epoch', offset: 0 },
      { type: 'resume', epoch, offset: 0, runs: { a: 0 } },
      { type: 'resume', runs: { a: 0, b: 0, c: 0, d: 0 } },
      { type: 'resume', runs: {} },
    ];
    for (const frame of malformed) {
      const out = await answer(frame);
      expect(out, JSON.stringify(frame)).toHaveLength(1);
      expect(JSON.parse(out[0]!), JSON.stringify(frame)).toMatchObject({ type: 'error', code: 'ERR_BAD_FRAME' });
    }
    // The oracle: whether a run exists under another user must not show, whatever the seq.
    for (const lastSeq of [0, 3, 1e21, Number.MAX_SAFE_INTEGER]) {
      const foreign = await answer({ type: 'resume', runs: { 'run-owned': lastSeq } });
      const unknown = await answer({ type: 'resume', runs: { 'run-nobody': lastSeq } });
      expect(foreign, `lastSeq ${lastSeq}`).toEqual(unknown);
    }
  });

  it('closes a socket that sends an oversized frame with 1009; other users are unaffected', async () => {
    fx = await startFixture({ maxPayload: 64 * 1024 });
    const victim = await fx.connect('kate');
    const bystander = await fx.connect('liam');
    const bystanderInbox = collect(bystander);
    const closed = new Promise<number>((r) => victim.on('disconnected', (d) => r(d.code)));
    (victim.socket as unknown as WebSocket).send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(70 * 1024) }));
    expect(await closed).toBe(1009);
    await waitUntil(() => fx!.server.hub.getUserConnections('kate').size === 0, 5000, 'oversized sender removed');
    await runFiveEvents(fx.manager('liam', 'run-bystander'));
    expect((await bystanderInbox.until(5)).every((e) => e.userId === 'liam')).toBe(true);
  });

  it('heartbeat terminates a socket that stops answering pings and keeps a live one', async () => {
    fx = await startFixture({ heartbeatIntervalMs: 100 });
    const live = await fx.connect('mia');
    const token = await fx.token('ned');
    const dead = new WebSocket(fx.url, [SUBPROTOCOL, `bearer.${token}`], { autoPong: false });
    const deadClosed = new Promise<number>((resolve) => dead.on('close', (code) => resolve(code)));
    await new Promise((r) => dead.once('open', r));
    await waitUntil(() => fx!.server.hub.getUserConnections('ned').size === 1, 5000, 'dead socket registered');
    expect(await deadClosed).toBe(1006); // terminated: no close frame
    await waitUntil(() => fx!.server.hub.getUserConnections('ned').size === 0, 5000, 'dead socket reaped');
    await new Promise((r) => setTimeout(r, 300)); // three more heartbeat rounds for the live one
    // The live client answered every ping (ws auto-pong) and is still registered after several rounds.
    expect(fx.server.hub.getUserConnections('mia').size).toBe(1);
    expect(live.socket?.readyState).toBe(WebSocket.OPEN);
  });
});
