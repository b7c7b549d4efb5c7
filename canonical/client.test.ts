import { describe, expect, it } from 'vitest';
import { connectClient } from './index.js';
import type { EventEnvelope, WebSocketLike } from './index.js';

/** A WHATWG-shaped socket that delivers the given frames in one synchronous burst after open. */
function burstSocket(frames: object[]) {
  return class implements WebSocketLike {
    readyState = 0;
    protocol = 'ssot.v1';
    private readonly listeners = new Map<string, ((e: unknown) => void)[]>();
    constructor() {
      setTimeout(() => {
        this.readyState = 1;
        this.fire('open', {});
        for (const f of frames) this.fire('message', { data: JSON.stringify(f) }); // one data chunk
      }, 0);
    }
    send(): void {}
    close(code = 1000): void {
      this.readyState = 3;
      this.fire('close', { code, reason: '' });
    }
    addEventListener(type: string, l: (e: unknown) => void): void {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
    }
    private fire(type: string, e: unknown): void {
      for (const l of this.listeners.get(type) ?? []) l(e);
    }
  };
}

const established = { type: 'connection_established', connectionId: 'c1', userId: 'u', threadId: null, protocol: 'ssot.v1', heartbeatIntervalMs: 0, maxPayload: 65536, epoch: 'e1', offset: 0 };
const event = (seq: number) => ({ type: 'agent_thinking', runId: 'r', threadId: 't', userId: 'u', seq, offset: seq, epoch: 'e1', ts: 1, reasoning: `r${seq}` });

describe('connectClient', () => {
  it('hands no event over before it resolves: events in the same burst as connection_established reach listeners attached on resolve', async () => {
    const WS = burstSocket([established, { ...event(1), type: 'agent_started', agentName: 'a', reasoning: undefined }, event(2)]);
    const client = await connectClient({ url: 'ws://127.0.0.1:1/ws', token: 'a.b.c', WebSocket: WS as never, heartbeatIntervalMs: 0, reconnect: false });
    const got: EventEnvelope[] = [];
    client.on('event', (e) => got.push(e));
    await new Promise((r) => setTimeout(r, 20));
    expect(got.map((e) => e.seq)).toEqual([1, 2]);
    expect(client.position()).toEqual({ epoch: 'e1', offset: 2 });
    await client.close();
  });

  it('keeps the order of held frames: a resume answered in the same burst hands over every event, runs it never saw included', async () => {
    const run = (runId: string, seq: number, offset: number) => ({ type: 'agent_started', runId, threadId: 't', userId: 'u', seq, offset, epoch: 'e1', ts: 1, agentName: 'a' });
    const WS = burstSocket([
      { ...established, offset: 2 },
      run('born-while-away', 1, 1),
      run('another', 1, 2),
      { type: 'resume_complete', scope: 'stream', epoch: 'e1', offset: 2, replayed: 2, status: 'ok' },
      run('live', 1, 3),
    ]);
    const client = await connectClient({ url: 'ws://127.0.0.1:1/ws', token: 'a.b.c', WebSocket: WS as never, heartbeatIntervalMs: 0, reconnect: false, position: { epoch: 'e1', offset: 0 } });
    const got: EventEnvelope[] = [];
    client.on('event', (e) => got.push(e));
    await new Promise((r) => setTimeout(r, 20));
    expect(got.map((e) => `${e.runId}@${e.offset}`)).toEqual(['born-while-away@1', 'another@2', 'live@3']);
    expect(client.position()).toEqual({ epoch: 'e1', offset: 3 });
    await client.close();
  });
});
