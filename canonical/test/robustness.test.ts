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
