/**
 * Redis key and channel names of the bus, and the text formats that cross Redis.
 * Run keys share a hash tag `{runId}` so a run's meta and stream live in one slot.
 */
import { buildEnvelope } from '../events.js';
import type { CriticalEventType, EventEnvelope } from '../events.js';
import type { OutboundMessage } from '../protocol.js';

export interface RedisKeys {
  /** Hash: user (owner), thread, seq (last assigned), p:<producer> (idempotency marks). */
  runMeta(runId: string): string;
  /** Stream of the run's events; entry id `<seq>-0`, fields b (body) and f (Redis time of append, ms). */
  runEvents(runId: string): string;
  /** Sorted set runId → Redis time of the run's last event: what a subscriber catches up on after a reconnect. */
  userRuns(userId: string): string;
  /** Pub/sub channel carrying every frame for one user. */
  userChannel(userId: string): string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    runMeta: (runId) => `${prefix}run:{${runId}}:meta`,
    runEvents: (runId) => `${prefix}run:{${runId}}:events`,
    userRuns: (userId) => `${prefix}user:{${userId}}:runs`,
    userChannel: (userId) => `${prefix}user:${userId}`,
  };
}

/** An event without its seq (Redis assigns the seq when the event is appended). */
type EventBody = [type: CriticalEventType, runId: string, threadId: string, userId: string, ts: number, data: Record<string, unknown>];

export function encodeEventBody(e: { type: CriticalEventType; runId: string; threadId: string; userId: string; ts: number; data: object }): string {
  const body: EventBody = [e.type, e.runId, e.threadId, e.userId, e.ts, e.data as Record<string, unknown>];
  return JSON.stringify(body);
}

export function decodeEventBody(body: string, seq: number): EventEnvelope {
  const parsed = JSON.parse(body) as unknown;
  if (!Array.isArray(parsed) || parsed.length !== 6) throw new Error('malformed event body');
  const [type, runId, threadId, userId, ts, data] = parsed as EventBody;
  return buildEnvelope({ type, runId, threadId, userId, seq, ts }, data as never) as EventEnvelope;
}

/**
 * Pub/sub payloads: `e|<seq>|<appendedAt>|<body>` for an event (the publish script writes it),
 * `m|<body>` for an unsequenced message, body = JSON [threadId|null, message].
 */
export type ChannelPayload =
  | { kind: 'event'; seq: number; appendedAt: number; body: string }
  | { kind: 'message'; threadId: string | undefined; message: OutboundMessage };

export function encodeMessagePayload(message: OutboundMessage, threadId: string | undefined): string {
  return 'm|' + JSON.stringify([threadId ?? null, message]);
}

export function decodeChannelPayload(payload: string): ChannelPayload {
  if (payload.startsWith('e|')) {
    const a = payload.indexOf('|', 2);
    const b = payload.indexOf('|', a + 1);
    if (a < 0 || b < 0) throw new Error('malformed event payload');
    const seq = Number(payload.slice(2, a));
    const appendedAt = Number(payload.slice(a + 1, b));
    if (!Number.isInteger(seq) || seq < 1 || !Number.isFinite(appendedAt)) throw new Error('malformed event payload');
    return { kind: 'event', seq, appendedAt, body: payload.slice(b + 1) };
  }
  if (payload.startsWith('m|')) {
    const parsed = JSON.parse(payload.slice(2)) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) throw new Error('malformed message payload');
    const [threadId, message] = parsed as [string | null, OutboundMessage];
    return { kind: 'message', threadId: threadId ?? undefined, message };
  }
  throw new Error('unknown payload kind');
}

/** Parses one XRANGE entry `[id, [field, value, ...]]` into seq, appendedAt and body. */
export function parseStreamEntry(entry: unknown): { seq: number; appendedAt: number; body: string } {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) {
    throw new Error('malformed stream entry');
  }
  const seq = Number(entry[0].slice(0, entry[0].indexOf('-')));
  const fields = entry[1] as string[];
  let body: string | undefined;
  let appendedAt = 0;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'b') body = fields[i + 1];
    else if (fields[i] === 'f') appendedAt = Number(fields[i + 1]);
  }
  if (!Number.isInteger(seq) || seq < 1 || body === undefined) throw new Error('malformed stream entry');
  return { seq, appendedAt, body };
}
