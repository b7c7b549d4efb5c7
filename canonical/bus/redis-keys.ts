/**
 * Redis key and channel names of the bus, and the formats that cross Redis.
 * A user's keys share the hash tag `{userId}`; a run's meta has its own `{runId}` (the bus needs
 * a single Redis primary either way: the append script touches both, see README).
 */
import type { FrameText } from './types.js';
import type { OutboundMessage } from '../protocol.js';

export interface RedisKeys {
  /** Hash: user (owner), thread, seq (a lower bound: the owner's record has the last), fo/fe (offset and epoch of its first event), producer marks. */
  runMeta(runId: string): string;
  /**
   * Hash: epoch, off (last offset assigned), ot (append time of the oldest entry stored), and per
   * run of the user its record `r:<runId>` (last seq and offset, the last producer's answer).
   */
  userMeta(userId: string): string;
  /**
   * Stream of every event of the user; entry id `<offset>-0`, fields j (frame JSON), r (runId), s (seq), t (Redis ms at append);
   * a pack (several light items of the user in one append call) is one entry: id its last offset, n frames (see parseStreamEntries);
   * a compact lean entry (issue 21 redis16) holds m (its channel message piece: header, ids, frame) and t, maybe c, instead of j, r, s.
   */
  userStream(userId: string): string;
  /** Pub/sub channel carrying the unsequenced messages (publishToUser) for one user. */
  userChannel(userId: string): string;
  /** Pub/sub channel carrying the events of the users of one shard (eventShard), a batch per message. */
  eventChannel(shard: string): string;
  /** Sorted set userId → Redis ms of the user's last append (the total bound drops the stalest first). */
  streams: string;
  /** Hash userId → bytes stored for the user. */
  sizes: string;
  /** String: bytes stored for all users. */
  bytes: string;
  /**
   * Set of the user meta keys whose `w` names this writer (the bus instance's id): the append script's lean
   * items check their user's writer against it, one SMISMEMBER per call instead of an HGET per event (issue
   * 21 redis18); every change of a `w` the script makes changes the sets too. Not a member is not a refusal
   * (the item then reads its meta). Lives `metaTtlMs` + two refresh intervals from its last change.
   */
  leases(writer: string): string;
  /** Set of the writers that have a `leases` set (a user whose meta named no writer leaves all of them). */
  leaseWriters: string;
  /** The prefix itself (scripts build other users' key names from it). */
  prefix: string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    runMeta: (runId) => `${prefix}run:{${runId}}:meta`,
    userMeta: (userId) => `${prefix}user:{${userId}}:meta`,
    userStream: (userId) => `${prefix}user:{${userId}}:stream`,
    userChannel: (userId) => `${prefix}user:${userId}`,
    eventChannel: (shard) => `${prefix}events:${shard}`,
    streams: `${prefix}streams`,
    sizes: `${prefix}sizes`,
    bytes: `${prefix}bytes`,
    leases: (writer) => `${prefix}leases:${writer}`,
    leaseWriters: `${prefix}lease-writers`,
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
 * Which event channel carries a user's events: with `channels` > 0 one of that many shared
 * channels (a hash of the user id: every instance must use the same number), with 0 one channel
 * per user (`u:<userId>`). Publisher and subscribers compute it alike.
 */
export function eventShard(userId: string, channels: number): string {
  if (channels === 0) return `u:${userId}`;
  let h = 0x811c9dc5; // FNV-1a over the UTF-16 code units
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return String((h >>> 0) % channels);
}

/**
 * Pub/sub payloads.
 * - On an event channel, one message per append call and channel: the events of that call for the
 *   channel's users, in offset order per user, each
 *   `<offset>|<seq>|<epoch>|<userId bytes>|<runId bytes>|<frame bytes>|<userId><runId><frame JSON>`
 *   (the append script writes it; the subscriber reads it as bytes and hands each frame's bytes to
 *   the sockets as they are).
 * - On a user channel, an unsequenced message: `m|<JSON [threadId|null, message]>`.
 */
export type ChannelPayload =
  | { kind: 'event'; offset: number; seq: number; epoch: string; runId: string; text: FrameText }
  | { kind: 'message'; threadId: string | undefined; message: OutboundMessage };

export function encodeMessagePayload(message: OutboundMessage, threadId: string | undefined): string {
  return 'm|' + JSON.stringify([threadId ?? null, message]);
}

const PIPE = 0x7c;

/** Where the last digits() call ended: the index after its pipe, -1 if malformed (no tuple per number). */
let digitsEnd = -1;

/** Reads a decimal `<number>|` at `at` (at < 0: malformed before it); digitsEnd is set to the index after the pipe, or -1. */
function digits(buf: Buffer, at: number): number {
  digitsEnd = -1;
  if (at < 0) return 0;
  let n = 0;
  let i = at;
  for (; i < buf.length; i++) {
    const c = buf[i]!;
    if (c === PIPE) break;
    if (c < 0x30 || c > 0x39 || i - at > 15) return 0;
    n = n * 10 + (c - 0x30);
  }
  if (i === at || i >= buf.length) return 0;
  digitsEnd = i + 1;
  return n;
}

/**
 * One event of an event channel message as decodeEventBatch reads it: one object rewritten for
 * each event (no object per event), valid during the callback only (as a BusDelivery is: it is
 * also the delivery, with `userId`). The frame's bytes are cut out only if read: `text` (a view of
 * them) for a socket that takes bytes, `string` (decoded from the message once, no view made) for
 * one that takes strings.
 */
export class ChannelEvent {
  readonly kind = 'event' as const;
  userId = '';
  offset = 0;
  seq = 0;
  epoch = '';
  runId = '';
  // # fields: a listener that copies the delivery ({ ...d }) gets its data fields only.
  #payload: Buffer = Buffer.alloc(0);
  #start = 0;
  #end = 0;
  #decoded: string | undefined = undefined;

  get text(): Buffer {
    return this.#payload.subarray(this.#start, this.#end);
  }

  get string(): string {
    return (this.#decoded ??= this.#payload.toString('utf8', this.#start, this.#end));
  }

  /** A copy of this event that outlives the callback (kept in a backlog). */
  detach(): Extract<ChannelPayload, { kind: 'event' }> {
    return { kind: 'event', offset: this.offset, seq: this.seq, epoch: this.epoch, runId: this.runId, text: this.text };
  }

  /** @internal decodeEventBatch's */
  set(payload: Buffer, userEnd: number, runEnd: number, end: number): void {
    this.#payload = payload;
    this.#start = runEnd;
    this.#end = end;
    this.#decoded = undefined;
    this.runId = idString(payload, userEnd, runEnd, 'utf8');
  }
}

/**
 * The ids of the events delivered lately (user, run, epoch), found again by their bytes (issue 21 redis23): an
 * event's three ids were three strings made from the message (`toString`: a native call and a string each), though
 * the same few repeat from event to event (a run's 50 events, a user's runs, a user's epoch). Slots by a hash of the
 * bytes; a collision only replaces the slot's string. 8,192 slots: the bench's ~600 live ids (200 users, their runs
 * and epochs) then share a slot for ~7% of ids (with 1,024, ~44%: those missed each time); with many more live ids
 * than slots most lookups miss, and cost a toString as before plus the bytes hashed (~20 ns for a short id).
 */
const ID_SLOTS = 8192;
const ID_MAX_BYTES = 64;
const idStrings: (string | undefined)[] = new Array<string | undefined>(ID_SLOTS).fill(undefined);

/**
 * `buf[start, end)` decoded as `encoding` ('utf8' or 'latin1'): the string kept from an earlier id when its chars are
 * these bytes one for one. Only all-ASCII ids (bytes = chars in both encodings) are looked up or kept; others, and
 * ids above ID_MAX_BYTES, are decoded each time.
 */
export function idString(buf: Buffer, start: number, end: number, encoding: 'utf8' | 'latin1'): string {
  const length = end - start;
  if (length > ID_MAX_BYTES || length < 0) return buf.toString(encoding, start, end);
  let hash = length;
  let high = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    hash = (Math.imul(hash, 31) + c) | 0;
    high |= c;
  }
  if (high >= 0x80) return buf.toString(encoding, start, end);
  const slot = hash & (ID_SLOTS - 1);
  const kept = idStrings[slot];
  if (kept !== undefined && kept.length === length) {
    let i = 0;
    while (i < length && kept.charCodeAt(i) === buf[start + i]) i++;
    if (i === length) return kept;
  }
  const made = buf.toString('latin1', start, end);
  idStrings[slot] = made;
  return made;
}

/**
 * Decodes an event channel message into `view`, calling `each` per event in order. Throws on a
 * malformed entry (the ones before it were delivered; nothing after it can be trusted).
 */
export function decodeEventBatch(payload: Buffer, view: ChannelEvent, each: (event: ChannelEvent) => void): void {
  let at = 0;
  while (at < payload.length) {
    const offset = digits(payload, at);
    const seq = digits(payload, digitsEnd);
    const b = digitsEnd;
    const c = b < 0 ? -1 : payload.indexOf(PIPE, b);
    const userLen = digits(payload, c < 0 ? -1 : c + 1);
    const runLen = digits(payload, digitsEnd);
    const textLen = digits(payload, digitsEnd);
    const f = digitsEnd;
    const userEnd = f + userLen;
    const runEnd = userEnd + runLen;
    const end = runEnd + textLen;
    if (f < 0 || offset < 1 || seq < 1 || userLen < 1 || runLen < 1 || textLen < 2 || end > payload.length) throw new Error('malformed event payload');
    view.userId = idString(payload, f, userEnd, 'utf8');
    view.offset = offset;
    view.seq = seq;
    view.epoch = idString(payload, b, c, 'latin1');
    view.set(payload, userEnd, runEnd, end);
    each(view);
    at = end;
  }
}

/** Decodes a user channel message (an unsequenced message). */
export function decodeMessagePayload(payload: Buffer): Extract<ChannelPayload, { kind: 'message' }> {
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

/** A compact lean entry's 'm' (see parseStreamEntries): its frame, runId and seq, or undefined if malformed. */
function compactPiece(m: Buffer): { text: Buffer; runId: string; seq: string } | undefined {
  const bars: number[] = [];
  for (let i = 0; i < m.length && bars.length < 6; i++) if (m[i] === 0x7c) bars.push(i);
  if (bars.length < 6) return undefined;
  const seq = m.toString('latin1', bars[0]! + 1, bars[1]);
  const userBytes = Number(m.toString('latin1', bars[2]! + 1, bars[3]));
  const runBytes = Number(m.toString('latin1', bars[3]! + 1, bars[4]));
  const frameBytes = Number(m.toString('latin1', bars[4]! + 1, bars[5]));
  const ids = bars[5]! + 1;
  if (![userBytes, runBytes, frameBytes].every((n) => Number.isSafeInteger(n) && n >= 0) || ids + userBytes + runBytes + frameBytes !== m.length) return undefined;
  return { text: m.subarray(m.length - frameBytes), runId: m.toString('utf8', ids + userBytes, ids + userBytes + runBytes), seq };
}

/**
 * Parses one XRANGE entry `[id, [field, value, ...]]` (as Buffers) of a user stream into its frames:
 * one, or a pack's n (field `n`: the frames of one user's light items of one append call, joined by
 * a newline — no frame holds one —, runs joined by a newline, seqs by a comma; the entry's id is
 * its last offset, so its frames hold offsets id - n + 1 .. id). Entries without `n` are the
 * single events every version wrote.
 */
export function parseStreamEntries(entry: unknown): StreamEntry[] {
  if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[1])) throw new Error('malformed stream entry');
  const id = String(entry[0]);
  const last = Number(id.slice(0, id.indexOf('-')));
  const fields = entry[1] as Buffer[];
  let text: Buffer | undefined;
  let runId: string | undefined;
  let seqs = '';
  let appendedAt = 0;
  let n = 0;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = String(fields[i]);
    const value = fields[i + 1]!;
    if (name === 'j') text = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
    else if (name === 'm') {
      // A compact lean entry (issue 21 redis12): the event's channel message piece,
      // `<offset>|<seq>|<epoch>|<userId bytes>|<runId bytes>|<frame bytes>|<userId><runId><frame>`.
      const m = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
      const c = compactPiece(m);
      if (c === undefined) throw new Error('malformed stream entry');
      ({ text, runId, seq: seqs } = c);
    } else if (name === 'r') runId = String(value);
    else if (name === 's') seqs = String(value);
    else if (name === 't') appendedAt = Number(String(value));
    else if (name === 'n') n = Number(String(value));
  }
  if (!Number.isSafeInteger(last) || last < 1 || text === undefined || runId === undefined) throw new Error('malformed stream entry');
  if (n === 0) {
    const seq = Number(seqs);
    if (!Number.isSafeInteger(seq) || seq < 1) throw new Error('malformed stream entry');
    return [{ offset: last, runId, seq, appendedAt, text }];
  }
  const runs = runId.split('\n');
  const seqList = seqs.split(',');
  if (!Number.isSafeInteger(n) || n < 2 || last - n + 1 < 1 || runs.length !== n || seqList.length !== n) throw new Error('malformed stream entry');
  const out: StreamEntry[] = [];
  let at = 0;
  for (let k = 0; k < n; k++) {
    const nl = k === n - 1 ? text.length : text.indexOf(0x0a, at);
    const seq = Number(seqList[k]);
    if (nl < 0 || !Number.isSafeInteger(seq) || seq < 1 || runs[k]!.length === 0) throw new Error('malformed stream entry');
    out.push({ offset: last - n + 1 + k, runId: runs[k]!, seq, appendedAt, text: text.subarray(at, nl) });
    at = nl + 1;
  }
  return out;
}
