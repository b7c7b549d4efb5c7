/**
 * Redis key and channel names of the bus, and the formats that cross Redis.
 * A user's keys share the hash tag `{userId}`; a run's meta has its own `{runId}` (the bus needs
 * a single Redis primary either way: the append script touches both, see README).
 */
import type { FrameText } from './types.js';
import type { OutboundMessage } from '../protocol.js';

export interface RedisKeys {
  /** Hash: user (owner), thread, seq (last assigned), fo/fe (offset and epoch of its first event), producer marks. */
  runMeta(runId: string): string;
  /** Hash: epoch, off (last offset assigned), ot (append time of the oldest entry stored). */
  userMeta(userId: string): string;
  /** Stream of every event of the user; entry id `<offset>-0`, fields j (frame JSON), r (runId), s (seq), t (Redis ms at append). */
  userStream(userId: string): string;
  /** Sorted set runId → offset of the run's last event (which runs a gap touched). */
  userRuns(userId: string): string;
  /** Pub/sub channel carrying every frame for one user. */
  userChannel(userId: string): string;
  /** Sorted set userId → Redis ms of the user's last append (the total bound drops the stalest first). */
  streams: string;
  /** Hash userId → bytes stored for the user. */
  sizes: string;
  /** String: bytes stored for all users. */
  bytes: string;
  /** The prefix itself (scripts build other users' key names from it). */
  prefix: string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    runMeta: (runId) => `${prefix}run:{${runId}}:meta`,
    userMeta: (userId) => `${prefix}user:{${userId}}:meta`,
    userStream: (userId) => `${prefix}user:{${userId}}:stream`,
    userRuns: (userId) => `${prefix}user:{${userId}}:runs`,
    userChannel: (userId) => `${prefix}user:${userId}`,
    streams: `${prefix}streams`,
    sizes: `${prefix}sizes`,
    bytes: `${prefix}bytes`,
    prefix,
  };
}

/**
 * The data part of an event's JSON as the append script splices it after the header:
 * `}` for `{}`, else the data's members after a comma (`{"a":1}` → `,"a":1}`).
 */
export function dataTail(dataJson: string): string {
  return dataJson === '{}' ? '}' : `,${dataJson.slice(1)}`;
}

/**
 * Pub/sub payloads. An event: `e|<offset>|<seq>|<epoch>|<runId byte length>|<runId><frame JSON>`
 * (the append script writes it; the subscriber reads it as bytes and hands the JSON bytes to the
 * sockets as they are). An unsequenced message: `m|<JSON [threadId|null, message]>`.
 */
export type ChannelPayload =
  | { kind: 'event'; offset: number; seq: number; epoch: string; runId: string; text: FrameText }
  | { kind: 'message'; threadId: string | undefined; message: OutboundMessage };

export function encodeMessagePayload(message: OutboundMessage, threadId: string | undefined): string {
  return 'm|' + JSON.stringify([threadId ?? null, message]);
}

const PIPE = 0x7c;

/** Reads `<number>|` at `at`; returns [value, index after the pipe]. */
function field(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(PIPE, at);
  if (end < 0) throw new Error('malformed event payload');
  return [buf.toString('latin1', at, end), end + 1];
}

export function decodeChannelPayload(payload: Buffer): ChannelPayload {
  if (payload[0] === 0x65 /* e */ && payload[1] === PIPE) {
    const [off, a] = field(payload, 2);
    const [seq, b] = field(payload, a);
    const [epoch, c] = field(payload, b);
    const [runLen, d] = field(payload, c);
    const offset = Number(off);
    const s = Number(seq);
    const len = Number(runLen);
    if (!Number.isSafeInteger(offset) || offset < 1 || !Number.isSafeInteger(s) || s < 1 || !Number.isSafeInteger(len) || len < 1 || d + len > payload.length) {
      throw new Error('malformed event payload');
    }
    return { kind: 'event', offset, seq: s, epoch, runId: payload.toString('utf8', d, d + len), text: payload.subarray(d + len) };
  }
  if (payload[0] === 0x6d /* m */ && payload[1] === PIPE) {
    const parsed = JSON.parse(payload.toString('utf8', 2)) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) throw new Error('malformed message payload');
    const [threadId, message] = parsed as [string | null, OutboundMessage];
    return { kind: 'message', threadId: threadId ?? undefined, message };
  }
  throw new Error('unknown payload kind');
}

export interface StreamEntry {
  offset: number;
  runId: string;
  seq: number;
  /** Redis ms at append. */
  appendedAt: number;
  text: Buffer;
}

/** Parses one XRANGE entry `[id, [field, value, ...]]` (as Buffers) of a user stream. */
export function parseStreamEntry(entry: unknown): StreamEntry {
  if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[1])) throw new Error('malformed stream entry');
  const id = String(entry[0]);
  const offset = Number(id.slice(0, id.indexOf('-')));
  const fields = entry[1] as Buffer[];
  let text: Buffer | undefined;
  let runId: string | undefined;
  let seq = 0;
  let appendedAt = 0;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = String(fields[i]);
    const value = fields[i + 1]!;
    if (name === 'j') text = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
    else if (name === 'r') runId = String(value);
    else if (name === 's') seq = Number(String(value));
    else if (name === 't') appendedAt = Number(String(value));
  }
  if (!Number.isSafeInteger(offset) || offset < 1 || text === undefined || runId === undefined || !Number.isSafeInteger(seq) || seq < 1) {
    throw new Error('malformed stream entry');
  }
  return { offset, runId, seq, appendedAt, text };
}
