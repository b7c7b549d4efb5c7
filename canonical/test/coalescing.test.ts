// Write coalescing (hub option coalesceWrites, and replays in every mode) over real loopback sockets:
// what reaches the kernel per socket (counted on the server's net.Socket), the order a raw client
// sees across every write path, closes while frames are held, and the slow-consumer bound.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { expectSlowConsumerRecovers, runFiveEvents, startFixture, waitUntil } from './helpers.js';
import type { Fixture } from './helpers.js';
import { SUBPROTOCOL } from '../index.js';
import type { ConnectionHubOptions } from '../index.js';

let fx: Fixture | undefined;
const raws: WebSocket[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.terminate();
  await fx?.close();
  fx = undefined;
});

interface NetSocket {
  _write(...args: unknown[]): void;
  _writev(...args: unknown[]): void;
  writableCorked: number;
  destroy(): void;
}

/** A raw `ws` client: every text frame it receives, parsed, in arrival order, and its close code. */
async function rawClient(f: Fixture, userId: string) {
  const token = await f.token(userId);
  const ws = new WebSocket(f.url, [SUBPROTOCOL, `bearer.${token}`]);
  raws.push(ws);
  const frames: Record<string, unknown>[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  await waitUntil(() => frames.some((fr) => fr.type === 'connection_established'), 5000, 'connection_established');
  const connectionId = frames[0]!.connectionId as string;
  return { ws, frames, closed, connectionId };
}

/** The server side's net.Socket of a connection, with its writes counted: `_write` (one buffer) and `_writev` (several, with their count). */
function countWrites(f: Fixture, connectionId: string) {
  const out = (f.server.hub.getConnection(connectionId)!.socket as unknown as { _socket: NetSocket })._socket;
  const counts = { write: 0, writev: 0, chunksPerWritev: [] as number[] };
  const write = out._write;
  const writev = out._writev;
  out._write = function (this: NetSocket, ...args: unknown[]) {
    counts.write++;
    return write.apply(this, args);
  };
  out._writev = function (this: NetSocket, ...args: unknown[]) {
    counts.writev++;
    counts.chunksPerWritev.push((args[0] as unknown[]).length);
    return writev.apply(this, args);
  };
  return { out, counts };
}

const events = (frames: Record<string, unknown>[]) => frames.filter((fr) => typeof fr.seq === 'number');
const afterTurn = () => new Promise((r) => setImmediate(r));

describe('write coalescing (coalesceWrites)', () => {
  for (const mode of ['tick', 'immediate'] as const) {
    it(`'${mode}': a user's five awaited emits of one turn reach the kernel as one writev, in order`, async () => {
      fx = await startFixture({}, { coalesceWrites: mode });
      const c = await rawClient(fx, 'amy');
      const { out, counts } = countWrites(fx, c.connectionId);
      await runFiveEvents(fx.manager('amy', 'run-batched'));
      await afterTurn();
      expect(counts).toEqual({ write: 0, writev: 1, chunksPerWritev: [5] });
      expect(out.writableCorked).toBe(0); // nothing left held after the turn
      await waitUntil(() => events(c.frames).length === 5, 5000, 'five events');
      expect(events(c.frames).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    });
  }

  it("'off' (the default) writes each frame at once: five writes", async () => {
    fx = await startFixture();
    const c = await rawClient(fx, 'ben');
    const { counts } = countWrites(fx, c.connectionId);
    await runFiveEvents(fx.manager('ben', 'run-unbatched'));
    await afterTurn();
    expect(counts).toEqual({ write: 5, writev: 0, chunksPerWritev: [] });
  });

  it('refuses an unknown mode', async () => {
    const { createConnectionHub } = await import('../index.js');
    expect(() => createConnectionHub({ coalesceWrites: 'always' as unknown as ConnectionHubOptions['coalesceWrites'] })).toThrow(/coalesceWrites/);
  });

  it('keeps the call order across pre-encoded events, ws.send messages and control frames, per socket', async () => {
    fx = await startFixture({}, { coalesceWrites: 'tick' });
    const a = await rawClient(fx, 'cleo');
    const b = await rawClient(fx, 'dan');
    const hub = fx.server.hub;
    const ma = fx.manager('cleo', 'run-mixed');
    const mb = fx.manager('dan', 'run-other');
    a.frames.length = 0;
    b.frames.length = 0;
    // One turn, nothing awaited: every write below lands while cleo's socket is corked.
    void ma.emit('agent_started', { agentName: 'mix' }); // pre-encoded frame
    void hub.sendToUser('cleo', { type: 'notice', n: 1 }); // JSON string through ws.send
    void mb.emit('agent_started', { agentName: 'other' });
    void ma.emit('agent_thinking', { reasoning: 'r' });
    hub.sendFrameTo(a.connectionId, { type: 'notice', n: 2 }); // control frame through ws.send
    void ma.emit('tool_executing', { toolName: 't', parameters: {} });
    void mb.emit('agent_thinking', { reasoning: 'b' });
    await waitUntil(() => a.frames.length === 5 && b.frames.length === 2, 5000, 'all frames');
    expect(a.frames.map((f) => (f.type === 'notice' ? `notice${f.n}` : `${f.type}#${f.seq}`))).toEqual([
      'agent_started#1',
      'notice1',
      'agent_thinking#2',
      'notice2',
      'tool_executing#3',
    ]);
    expect(b.frames.map((f) => `${f.type}#${f.seq}`)).toEqual(['agent_started#1', 'agent_thinking#2']);
  });

  it('hub.close() in the same turn: held frames leave before the 1001 close frame', async () => {
    fx = await startFixture({}, { coalesceWrites: 'tick' });
    const c = await rawClient(fx, 'eve');
    const m = fx.manager('eve', 'run-closing');
    void m.emit('agent_started', { agentName: 'x' });
    void m.emit('agent_thinking', { reasoning: 'y' });
    void m.emit('tool_executing', { toolName: 't', parameters: {} });
    await fx.server.hub.close();
    expect(await c.closed).toBe(1001);
    expect(events(c.frames).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('a socket destroyed while held drops only its own frames; the flush and other sockets go on', async () => {
    fx = await startFixture({}, { coalesceWrites: 'tick' });
    const gone = await rawClient(fx, 'fay');
    const stays = await rawClient(fx, 'gus');
    const { out } = countWrites(fx, gone.connectionId);
    const mf = fx.manager('fay', 'run-gone');
    const mg = fx.manager('gus', 'run-stays');
    void mf.emit('agent_started', { agentName: 'x' });
    void mg.emit('agent_started', { agentName: 'y' });
    out.destroy(); // the connection breaks while its frame is held
    void mg.emit('agent_thinking', { reasoning: 'z' });
    expect(await gone.closed).toBe(1006);
    await waitUntil(() => events(stays.frames).length === 2, 5000, 'the other socket served');
    await waitUntil(() => fx!.server.hub.getUserConnections('fay').size === 0, 5000, 'broken socket removed');
    // Later turns are unaffected.
    await runFiveEvents(fx.manager('gus', 'run-later'));
    await waitUntil(() => events(stays.frames).length === 7, 5000, 'later run');
  });

  it('a reader sent more than maxBufferedBytes in one turn is not taken for a slow consumer (held bytes are flushed first)', async () => {
    const limit = 64 * 1024;
    for (const coalesceWrites of ['off', 'tick'] as const) {
      fx = await startFixture({}, { maxBufferedBytes: limit, coalesceWrites });
      const c = await rawClient(fx, 'hal');
      const m = fx.manager('hal', `run-big-${coalesceWrites}`);
      const chunk = 'x'.repeat(4 * 1024);
      void m.emit('agent_started', { agentName: 'bulk' });
      // 96 KiB in one turn: over the bound, well within what the kernel takes on loopback at once
      // (the client, in this process, cannot read before the turn ends).
      for (let i = 0; i < 24; i++) void m.emit('agent_thinking', { reasoning: chunk });
      await waitUntil(() => events(c.frames).length === 25, 10_000, `25 events (${coalesceWrites})`);
      expect(fx.server.hub.stats().slowConsumerCloses).toBe(0);
      await fx.close();
      fx = undefined;
    }
  });

  for (const mode of ['tick', 'immediate'] as const) it(`'${mode}': a client that stops reading is still closed with 4408 at the bound, and resumes without loss`, async () => {
    let bufferedAtDrop = -1;
    const limit = 64 * 1024;
    fx = await startFixture({}, { maxBufferedBytes: limit, coalesceWrites: mode, onSlowConsumer: (_c, b) => (bufferedAtDrop = b) });
    // awaited emits chain through microtasks: the flood is one turn, every frame written to a held socket
    await expectSlowConsumerRecovers(fx, 'ida', limit, () => bufferedAtDrop);
  });
});

describe('replay coalescing (every mode)', () => {
  it('a resume of 200 events leaves in a few writevs, in order, and nothing stays corked', async () => {
    fx = await startFixture();
    const c = await rawClient(fx, 'jon');
    const established = c.frames[0]!;
    const m = fx.manager('jon', 'run-replayed');
    await m.emit('agent_started', { agentName: 'r' });
    for (let i = 0; i < 198; i++) await m.emit('agent_thinking', { reasoning: `step ${i}` });
    await m.emit('agent_completed', { status: 'success', finalResponse: 'done' });
    await waitUntil(() => events(c.frames).length === 200, 5000, 'live events');
    c.ws.close();
    await c.closed;
    const again = await rawClient(fx, 'jon');
    const { out, counts } = countWrites(fx, again.connectionId);
    again.ws.send(JSON.stringify({ type: 'resume', epoch: established.epoch, offset: established.offset }));
    await waitUntil(() => events(again.frames).length === 200, 10_000, 'replayed events');
    expect(events(again.frames).map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Without coalescing this would be 200 writes (plus the resume's control frames).
    expect(counts.write + counts.writev).toBeLessThanOrEqual(5);
    expect(Math.max(...counts.chunksPerWritev)).toBeGreaterThanOrEqual(200);
    expect(out.writableCorked).toBe(0);
  });
});
