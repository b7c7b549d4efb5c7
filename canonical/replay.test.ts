import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './index.js';
import type { EventEnvelope } from './index.js';

function fill(buf: ReplayBuffer, userId: string, runId: string, n: number) {
  for (let i = 0; i < n; i++) {
    buf.append(userId, 't', runId, (seq, ts) => ({ type: 'agent_thinking', reasoning: `#${seq}`, runId, threadId: 't', userId, seq, ts }) as EventEnvelope);
  }
}

describe('ReplayBuffer', () => {
  it('returns everything after a seq while it is stored', () => {
    const buf = new ReplayBuffer();
    fill(buf, 'u', 'r', 5);
    const res = buf.since('u', 'r', 2);
    expect(res).toMatchObject({ status: 'ok', lastSeq: 5 });
    expect(res.status === 'ok' && res.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(buf.since('u', 'r', 5)).toEqual({ status: 'ok', events: [], lastSeq: 5 });
  });

  it('reports a gap when the size bound trimmed the requested events', () => {
    const buf = new ReplayBuffer({ maxEventsPerRun: 3 });
    fill(buf, 'u', 'r', 10);
    const res = buf.since('u', 'r', 2);
    expect(res).toMatchObject({ status: 'gap', fromSeq: 3, availableFrom: 8, lastSeq: 10 });
    expect(res.status === 'gap' && res.events.map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(buf.since('u', 'r', 7).status).toBe('ok');
  });

  it('trims by TTL and keeps the run metadata longer, so a late resume learns "gap" not "unknown"', () => {
    let now = 1_000_000;
    const buf = new ReplayBuffer({ ttlMs: 1000, metaTtlMs: 60_000, now: () => now });
    fill(buf, 'u', 'r', 3);
    now += 1500;
    expect(buf.since('u', 'r', 0)).toEqual({ status: 'gap', events: [], lastSeq: 3, fromSeq: 1, availableFrom: null });
    fill(buf, 'u', 'r', 1); // seq continues after the trim: never restarts for a known run
    const res = buf.since('u', 'r', 0);
    expect(res).toMatchObject({ status: 'gap', availableFrom: 4, lastSeq: 4 });
    now += 61_000;
    expect(buf.since('u', 'r', 0)).toEqual({ status: 'unknown' });
  });

  it("treats another user's run as unknown", () => {
    const buf = new ReplayBuffer();
    fill(buf, 'owner', 'r', 2);
    expect(buf.since('someone-else', 'r', 0)).toEqual({ status: 'unknown' });
    expect(() => fill(buf, 'someone-else', 'r', 1)).toThrow(/another user/);
  });

  it('bounds the number of runs (least recently active dropped)', () => {
    const buf = new ReplayBuffer({ maxRuns: 2 });
    fill(buf, 'u', 'r1', 1);
    fill(buf, 'u', 'r2', 1);
    fill(buf, 'u', 'r1', 1);
    fill(buf, 'u', 'r3', 1);
    expect(buf.runCount).toBe(2);
    expect(buf.since('u', 'r2', 0)).toEqual({ status: 'unknown' });
    expect(buf.since('u', 'r1', 0).status).toBe('ok');
  });

  it('rejects nonsense bounds', () => {
    expect(() => new ReplayBuffer({ maxEventsPerRun: 0 })).toThrow(RangeError);
  });
});
