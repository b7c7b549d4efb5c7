import { describe, expect, it } from 'vitest';
import { ChannelEvent, decodeEventBatch, idString } from './redis-keys.js';

/** One event of an event channel message, as the append script publishes it: `offset|seq|epoch|userBytes|runBytes|frameBytes|<user><run><frame>`. */
function piece(offset: number, seq: number, epoch: string, userId: string, runId: string, frame: string): string {
  return `${offset}|${seq}|${epoch}|${Buffer.byteLength(userId)}|${Buffer.byteLength(runId)}|${Buffer.byteLength(frame)}|${userId}${runId}${frame}`;
}

function decode(message: string): { userId: string; runId: string; epoch: string; offset: number; seq: number; text: string }[] {
  const out: { userId: string; runId: string; epoch: string; offset: number; seq: number; text: string }[] = [];
  decodeEventBatch(Buffer.from(message), new ChannelEvent(), (e) => out.push({ userId: e.userId, runId: e.runId, epoch: e.epoch, offset: e.offset, seq: e.seq, text: e.string }));
  return out;
}

describe("an event channel message's ids (issue 21 redis23: kept strings found again by their bytes)", () => {
  it('decodes every event its own ids, whatever the ids decoded before it: repeated, same length, non-ASCII, long', () => {
    const long = 'run-' + 'x'.repeat(80);
    const events: [number, number, string, string, string, string][] = [
      [1, 1, 'ep1', 'user-1', 'run-a', '{"a":1}'],
      [2, 2, 'ep1', 'user-1', 'run-a', '{"a":2}'],
      [1, 1, 'ep2', 'user-2', 'run-b', '{"b":1}'], // same lengths, other bytes
      [3, 3, 'ep1', 'user-1', 'run-a', '{"a":3}'],
      [1, 1, 'ep3', 'üser-1', 'rün-ä', '{"ü":"✓"}'], // non-ASCII ids (UTF-8)
      [2, 1, 'ep3', 'üser-1', long, '{}'], // above the bytes kept
      [4, 4, 'ep1', 'user-1', long, '{}'],
    ];
    const message = events.map((e) => piece(...e)).join('');
    expect(decode(message)).toEqual(events.map(([offset, seq, epoch, userId, runId, text]) => ({ offset, seq, epoch, userId, runId, text })));
    // Decoded again (the ids now kept): the same.
    expect(decode(message).map((e) => [e.userId, e.runId, e.epoch])).toEqual(events.map((e) => [e[3], e[4], e[2]]));
  });

  it('never answers a kept string for other bytes: every slot filled, then other ids of one length; a latin1 byte above 0x7f decoded as latin1', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `u-${i.toString(36).padStart(4, '0')}`);
    const buf = Buffer.from(ids.join(''));
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < ids.length; i++) expect(idString(buf, i * 6, i * 6 + 6, 'utf8')).toBe(ids[i]);
    }
    const high = Buffer.from([0x61, 0xe9, 0x62]);
    expect(idString(high, 0, 3, 'latin1')).toBe('aéb');
    expect(idString(high, 0, 3, 'utf8')).toBe(high.toString('utf8'));
    expect(idString(buf, 6, 6, 'utf8')).toBe('');
  });
});
