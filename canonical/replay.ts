/**
 * The memory bus's state: one stream per user, Centrifugo-style. Every event a user receives
 * gets the next offset of that user's stream (gapless from 1, across all the user's runs) and
 * carries the stream's epoch (its incarnation: a stream the buffer dropped or never had comes
 * back with a new epoch and offsets from 1). A client resumes with one (epoch, offset) pair,
 * however many runs it has, and gets every event after it — runs born while it was away
 * included — or an explicit gap.
 *
 * Each event is stored as the part of its frame no other record holds: the data's keys, as the
 * UTF-8 bytes of the frame sent live, in large append-only chunks off the JS heap; the header
 * (type, the run's ids, seq, offset, epoch, ts) is kept once — the type, seq, offset and ts in the
 * frame table's typed arrays, the ids with the run, the epoch with the stream — so a stored event
 * is no JS object at all and takes ~1/3 of its frame's bytes in memory that is never reused (on a
 * VM every fresh page costs a fault on first touch: the store's growth was most of the emit path's
 * page faults). A replay writes each frame again from those parts into a new buffer: the very bytes
 * that were sent (writeEnvelopeHead is the live writer's own first half). The live frame is written
 * whole into a slab the store lets go of once full (memory the collector frees and the allocator
 * hands out again, warm): sockets keep views of it as long as they need. Data whose JSON is not
 * an object's (an inherited toJSON) is stored whole, as its text's UTF-8 bytes.
 * The store is bounded in bytes and in age, per user and in total:
 * - per user: beyond `maxBytesPerUser` (the user's frames' UTF-8 size plus FRAME_OVERHEAD_BYTES
 *   each) the user's oldest frames are dropped;
 * - in total: beyond `maxBytes` (the chunks held — the stored parts — plus FRAME_OVERHEAD_BYTES per
 *   stored frame) the oldest frames of all users are dropped, until the oldest chunk is free;
 * - by age: frames older than `maxAgeMs` are dropped (checked on every append and read).
 * The per-run seq and owner, and the per-user offset and epoch, outlive the frames (`metaTtlMs`)
 * so a late resume learns "gap" rather than "unknown" and neither counter restarts under a client.
 */
import { buildCheckedEnvelope, buildEnvelope, CRITICAL_EVENT_TYPES, dataJsonOf, envelopeJsonRoom, envelopeText, eventTypeCode, runIdsText, writeEnvelopeData, writeEnvelopeHead } from './events.js';
import type { CriticalEventData, CriticalEventType, EventEnvelope } from './events.js';
import type { LostRun, ReplayResult, RunSlot, StoredFrame, StreamPosition, UserReplay } from './bus/types.js';
import { Fifo } from './fifo.js';
import { frameHeaderRoom, writeTextFrameHeader } from './ws-frame.js';

export interface ReplayBufferOptions {
  /** Bytes of frames kept per user; the user's oldest frames go first. Default 4 MiB. */
  maxBytesPerUser?: number;
  /** Bytes kept in total (chunks held + bookkeeping); the oldest frames of all users go first. Default 256 MiB. */
  maxBytes?: number;
  /** Frames older than this are dropped. Default 5 min. */
  maxAgeMs?: number;
  /**
   * How long a user's stream position (epoch, last offset) and a run's owner and last seq
   * outlive their last activity. Default 1 h (at least maxAgeMs).
   */
  metaTtlMs?: number;
  /** User streams remembered at most (least recently active dropped first). Default 100 000. */
  maxUsers?: number;
  /** Runs remembered at most (least recently active dropped first). Default 100 000. */
  maxRuns?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

/** Bookkeeping counted per stored frame on top of its bytes (the frame table's typed-array slots: 54 bytes). */
export const FRAME_OVERHEAD_BYTES = 64;
/** Runs a gap report lists at most. */
export const MAX_LOST_RUNS_REPORTED = 1000;

interface UserStream extends OwnerCache {
  readonly userId: string;
  readonly epoch: string;
  /** Last offset assigned (0 = none yet). */
  offset: number;
  /**
   * The stored frames, oldest first, as a chain through the frame table (`next`: each frame's id names
   * the user's next one): the ids of the oldest and newest (NONE when nothing is stored) and how many.
   * Their offsets are contiguous. A chain, not an array per user: an append writes one table slot
   * (no per-user array to grow and copy, no per-user memory touched beyond the stream itself).
   */
  first: number;
  last: number;
  count: number;
  bytes: number;
  /** Clock reading of the last activity, relative to the store's clockBase. */
  lastActivity: number;
  /** Second-chance bit for eviction beyond maxUsers. */
  ref: boolean;
  /**
   * Runs that appended to this stream (for gap reports); made on the first run (an idle user's
   * stream has none). An array appended to once per run; dropped runs stay in it, skipped, until
   * they outnumber the live ones (`liveRuns`) and it is compacted.
   */
  runs: RunRecord[] | undefined;
  liveRuns: number;
  /** Evicted from the store; a run holding it looks the stream up again. */
  gone: boolean;
  /** The thread id of the user's latest new run: the one string kept for the user's runs in that thread. */
  threadId: string;
}

/** What appendEvent leaves for its caller: the frame of the event just stored. */
export interface LastAppend {
  seq: number;
  offset: number;
  epoch: string;
  ts: number;
  /** The same frame's UTF-8 bytes behind their WebSocket frame header, as sent (a view of the live slab, or of the chunk for a frame stored whole). */
  frame: Uint8Array | undefined;
  headerLength: number;
}

/**
 * Per-user room for the bus that owns the store (the memory bus caches the user's listeners there:
 * one lookup per user while subscriptions stay as they are, not one per run): `ownerVersion` < 0
 * until it writes.
 */
export interface OwnerCache {
  ownerVersion: number;
  ownerCache: unknown;
}

/**
 * Room on a run's record for the hub that owns the store (hub.ts): the hub's own state of the run,
 * so one lookup by run id finds both and the hub keeps no map of runs beside the store's.
 */
export interface RunCompanion {
  companion: unknown;
  /** The run's owner and thread (what the hub checks an emit against once the companion is let go). */
  readonly userId: string;
  readonly threadId: string;
}

interface RunRecord extends RunCompanion {
  readonly runId: string;
  /** `,"runId":…,"threadId":…,"userId":…`: the part of every frame's JSON that is the run's (runIdsJson). */
  /**
   * '' once the run's agent_completed is stored: a completed run writes no more frames in the usual
   * case, and its record stays for resume (up to maxRuns, metaTtlMs) — without the ~100-byte string
   * that only writing needs. Made again if the run writes after all.
   */
  idsJson: string;
  /** idsJson is ASCII (its bytes are its characters). */
  idsAscii: boolean;
  lastSeq: number;
  stream: UserStream;
  /** Offset of the run's first event in `stream`. */
  firstOffset: number;
  lastOffset: number;
  /** Clock reading of the last append, relative to the store's clockBase. */
  lastActivity: number;
  ref: boolean;
  /** Forgotten by the store: a cached reference (RunSlot) is stale. */
  dropped: boolean;
  /** The store it belongs to (a slot could be shared by mistake between stores). */
  readonly store: ReplayBuffer;
}

/** An append-only piece of memory: the store's chunks (stored frames' bytes, back to back) and the live slab. */
interface Chunk {
  readonly buf: Buffer;
  /**
   * buf's ArrayBuffer, byte offset and length, read once: a Buffer's typed-array accessors, read per
   * frame, were generic property loads in the optimized append (Buffer's prototype chain is not one
   * the compiler inlines loads through; Builtins_LoadIC under appendEvent in perf).
   */
  readonly ab: ArrayBufferLike;
  readonly base: number;
  readonly size: number;
  used: number;
  /** Id of the last frame written into it: the chunk is freed once the ring's head passes it. */
  lastId: number;
}

/** Bytes of a live slab (frames larger than a quarter of it get a buffer of their own). */
const LIVE_SLAB_BYTES = 64 * 1024;
/** The type code of a frame stored whole (its text's bytes, not only the data part). */
const WHOLE = 255;

/**
 * A Buffer view of part of a chunk. Node's own FastBuffer constructor (what `ws` uses too):
 * Buffer#subarray goes through the species lookup and costs several times more.
 */
const FastBuffer = (Buffer as unknown as { [Symbol.species]: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Buffer })[Symbol.species];

/** What an append produced: the envelope and its frame text. */
export interface AppendedFrame<T extends CriticalEventType = CriticalEventType> extends StoredFrame {
  readonly text: string;
  /** The same frame's UTF-8 bytes, as sent (a view). */
  readonly bytes: Uint8Array;
  /** The same bytes as a complete WebSocket text frame (header + payload), for pre-encoded sends. */
  readonly frame: Uint8Array;
  readonly ts: number;
  readonly epoch: string;
  readonly envelope: EventEnvelope<T>;
}

/**
 * An append's result. The payload view (`bytes`) and the text are made on demand from the frame's
 * bytes: a live event goes to `ws` sockets as `frame`, so most events never need either.
 */
class Appended<T extends CriticalEventType> implements AppendedFrame<T> {
  constructor(
    readonly offset: number,
    readonly runId: string,
    readonly seq: number,
    readonly frame: Uint8Array,
    private readonly headerLength: number,
    readonly ts: number,
    readonly epoch: string,
    readonly envelope: EventEnvelope<T>,
  ) {}

  get bytes(): Uint8Array {
    const f = this.frame;
    return new FastBuffer(f.buffer, f.byteOffset + this.headerLength, f.length - this.headerLength);
  }

  get text(): string {
    return utf8.decode(this.bytes);
  }
}

const utf8 = new TextDecoder();

/** No frame (an empty stream's first/last, a stream's newest frame's `next`). */
const NONE = -1;

const SEGMENT_BITS = 11;
/** Frames per segment of the frame table. */
const SEGMENT_SIZE = 1 << SEGMENT_BITS;
const SEGMENT_MASK = SEGMENT_SIZE - 1;

/**
 * The bookkeeping of SEGMENT_SIZE consecutive frame ids, one typed array per field. Segments, not one
 * ring doubled whenever it fills: a window that grows (every server's first minutes, the whole bench)
 * then writes each frame's ~50 bytes of bookkeeping once, instead of again into a fresh array twice the
 * size at every doubling (with the doublings, ~2.5x the bytes, all of it fresh memory: page faults at
 * ~10-20 µs each on a VM, and a copy), and a full window reuses the segment its head passed.
 */
class FrameSegment {
  readonly ts = new Float64Array(SEGMENT_SIZE);
  readonly offset = new Float64Array(SEGMENT_SIZE);
  readonly seq = new Float64Array(SEGMENT_SIZE);
  /** The id of the same user's next stored frame (NONE for the newest): the streams' chains. */
  readonly next = new Float64Array(SEGMENT_SIZE);
  /** The whole frame's JSON length in UTF-8 bytes (what a replay sends, and the per-user bound counts). */
  readonly len = new Int32Array(SEGMENT_SIZE);
  /** Where the stored bytes start in the frame's chunk, and how many there are. */
  readonly pos = new Int32Array(SEGMENT_SIZE);
  readonly kept = new Int32Array(SEGMENT_SIZE);
  /** eventTypeCode of the frame's type (its header is written again on replay), or WHOLE. */
  readonly type = new Uint8Array(SEGMENT_SIZE);
  readonly dropped = new Uint8Array(SEGMENT_SIZE);
  /** Each frame's run; undefined once the frame is dropped (so a passed segment holds no record). */
  readonly run: (RunRecord | undefined)[] = new Array<RunRecord | undefined>(SEGMENT_SIZE).fill(undefined);
}

// Epochs: a per-process random part and a counter, short because every frame carries one.
const BOOT = Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, '0');
let epochCounter = 0;
const nextEpoch = (): string => `${BOOT}${(epochCounter++).toString(36)}`;

export class ReplayBuffer {
  readonly maxBytesPerUser: number;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly metaTtlMs: number;
  readonly maxUsers: number;
  readonly maxRuns: number;
  private readonly now: () => number;
  /** The last append's frame (appendEvent): one object rewritten per event. */
  readonly last: LastAppend = { seq: 0, offset: 0, epoch: '', ts: 0, frame: undefined, headerLength: 0 };
  /** The user stream of the last append (for the owning bus: see OwnerCache). */
  lastOwner: OwnerCache | undefined;
  /** The run record of the last append (for the owning hub: see RunCompanion). */
  lastRun: RunCompanion | undefined;
  /**
   * A run id companionOf() just found unknown: the append that follows (the hub's next step) skips
   * its own lookup of the same id. Valid until then because only an append adds runs; every append
   * clears it.
   */
  private absent: string | undefined;
  /**
   * Clock reading at construction: activity times are kept relative to it (`now - clockBase`), so
   * they stay small integers stored in the records themselves (an absolute ms timestamp would be a
   * separate heap number per record, read on every append) for the first 12 days (see relative).
   */
  private readonly clockBase: number;
  private readonly users = new Map<string, UserStream>();
  private readonly runs = new Map<string, RunRecord>();
  /** Creation orders of users and runs, for the second-chance clocks beyond maxUsers / maxRuns. */
  private readonly userOrder = new Fifo<UserStream>();
  private readonly runOrder = new Fifo<RunRecord>();

  // Frames: ids [headId, tailId) in fixed-size segments of typed arrays (segments[k] holds ids
  // segmentBase + k·SEGMENT_SIZE …, slot = id & SEGMENT_MASK); dropped ones are husks until the head
  // passes them. See FrameSegment for why segments and not one ring doubled as it fills.
  private segments: FrameSegment[] = [];
  /** The first id of segments[0] (a multiple of SEGMENT_SIZE). */
  private segmentBase = 0;
  /** A segment the head passed, kept for the next one needed (a window that stopped growing touches no new memory for its bookkeeping). */
  private spareSegment: FrameSegment | undefined;
  /**
   * Chunks [chunkHead, chunks.length) are held; the last one is being filled. Frames go into them in
   * id order, so a frame's chunk is found from the chunks' lastIds (chunkOf) and the ring keeps no
   * chunk reference per frame: no pointer array to fill, no
   * write barrier per event, nothing per frame for the collector to trace.
   */
  private chunks: Chunk[] = [];
  /** Where live frames are written whole; replaced (not freed: sockets may hold views of it) when full. */
  private live: Chunk | undefined;
  private chunkHead = 0;
  private chunkBytes = 0;
  private readonly chunkSize: number;
  private headId = 0;
  private tailId = 0;
  private frameCount = 0;
  private lastSweep = 0;
  /**
   * No run or stream has a lastActivity below this (relative clock): set at each sweep to the least
   * among the survivors and lowered by a new record. Activity only moves forward, so until
   * `at - minActivity` exceeds metaTtlMs a sweep could drop nothing and is skipped — it walks every
   * run and stream, and a store holds up to maxRuns (100 000) of them. A clock set back leaves it
   * stale the safe way: a sweep may come later; every lookup still checks its own record's age.
   */
  private minActivity = Number.POSITIVE_INFINITY;

  constructor(options: ReplayBufferOptions = {}) {
    this.maxBytesPerUser = positiveInt(options.maxBytesPerUser ?? 4 * 1024 * 1024, 'maxBytesPerUser');
    this.maxBytes = positiveInt(options.maxBytes ?? 256 * 1024 * 1024, 'maxBytes');
    this.maxAgeMs = positiveInt(options.maxAgeMs ?? 5 * 60_000, 'maxAgeMs');
    this.metaTtlMs = Math.max(this.maxAgeMs, positiveInt(options.metaTtlMs ?? 60 * 60_000, 'metaTtlMs'));
    this.maxUsers = positiveInt(options.maxUsers ?? 100_000, 'maxUsers');
    this.maxRuns = positiveInt(options.maxRuns ?? 100_000, 'maxRuns');
    this.now = options.now ?? Date.now;
    this.clockBase = this.now();
    // Small enough that the total bound frees memory in steps of 1/16 of it at most.
    this.chunkSize = Math.min(1024 * 1024, Math.max(1024, Math.floor(this.maxBytes / 16)));
  }

  /** The user's stream head (creating the stream if there is none): every later event has a higher offset. */
  position(userId: string): StreamPosition {
    const stream = this.streamOf(userId, this.now());
    stream.ref = true;
    return { epoch: stream.epoch, offset: stream.offset };
  }

  /** A run's record, for the hub's companion state (undefined when the store does not know the run). */
  companionOf(runId: string): RunCompanion | undefined {
    const rec = this.runs.get(runId);
    if (rec === undefined) this.absent = runId;
    return rec;
  }

  /** Who owns a live run (undefined when the run is unknown or expired). */
  owner(runId: string): { userId: string; threadId: string } | undefined {
    const rec = this.liveRun(runId, this.now());
    return rec ? { userId: rec.userId, threadId: rec.threadId } : undefined;
  }

  /**
   * Assigns the run's next seq and the user's next offset, builds the envelope and serialises it
   * (once: its JSON text is the frame every socket gets and a replay sends again), stores the frame
   * and returns it. Data that cannot be serialised is refused (InvalidEventError) before any seq or
   * offset is used.
   */
  append<T extends CriticalEventType>(userId: string, threadId: string, runId: string, type: T, data: CriticalEventData[T], runSlot?: RunSlot): AppendedFrame<T> {
    const envelope = this.appendEvent(userId, threadId, runId, type, data, runSlot);
    const last = this.last;
    return new Appended(last.offset, runId, last.seq, last.frame!, last.headerLength, last.ts, last.epoch, envelope);
  }

  /**
   * append() for the memory bus's live path: returns the envelope and leaves the frame's details
   * in `last` (valid until the next append) instead of allocating a result per event.
   */
  appendEvent<T extends CriticalEventType>(userId: string, threadId: string, runId: string, type: T, data: CriticalEventData[T], runSlot?: RunSlot, dataChecked = false, wantEnvelope = true): EventEnvelope<T> {
    const now = this.now();
    this.trimAged(now);
    if (now - this.lastSweep > Math.min(this.maxAgeMs, 10_000) && now - this.clockBase - this.minActivity > this.metaTtlMs) this.sweep(now);
    // The caller's slot for this run may hold our record from its previous event: no lookup then.
    const cached = runSlot?.busRef as RunRecord | undefined;
    const absent = this.absent;
    this.absent = undefined;
    let run = cached !== undefined && !cached.dropped && cached.runId === runId && cached.store === this ? cached : absent === runId ? undefined : this.runs.get(runId);
    const at = this.relative(now);
    if (run !== undefined && at - run.lastActivity > this.metaTtlMs) {
      this.dropRun(run);
      run = undefined;
    }
    let stream: UserStream;
    if (run === undefined) {
      stream = this.streamOf(userId, now);
      const ids = runIdsText(runId, threadId, userId);
      // The record keeps the stream's copy of the user id and, while the user stays in one thread, the
      // stream's copy of the thread id: a caller's strings, often made per run, are not kept per run.
      const thread = stream.threadId === threadId ? stream.threadId : (stream.threadId = threadId);
      run = { runId, userId: stream.userId, threadId: thread, idsJson: ids.json, idsAscii: ids.ascii, lastSeq: 0, stream, firstOffset: stream.offset + 1, lastOffset: 0, lastActivity: at, ref: true, dropped: false, store: this, companion: undefined };
      if (at < this.minActivity) this.minActivity = at;
      this.runs.set(runId, run);
      this.runOrder.push(run);
      this.addRun(stream, run);
      if (this.runs.size > this.maxRuns) this.evictRun(now);
      else if (this.runOrder.size > 2 * this.runs.size + 1024) this.runOrder.filter((r) => this.runs.get(r.runId) === r);
    } else {
      // The hub checks ownership first; this is the store's own guard against mixing users.
      if (run.userId !== userId) throw new Error(`run "${runId}" belongs to another user`);
      stream = run.stream;
      if (stream.gone) {
        // The user's stream was dropped (bounds): the run continues its seq in a new stream.
        stream = this.streamOf(userId, now);
        run.stream = stream;
        run.firstOffset = stream.offset + 1;
        this.addRun(stream, run);
      }
      run.ref = true;
    }
    if (runSlot) runSlot.busRef = run;
    if (run.idsJson.length === 0) {
      const again = runIdsText(run.runId, run.threadId, run.userId);
      run.idsJson = again.json;
      run.idsAscii = again.ascii;
    }
    const seq = run.lastSeq + 1;
    const offset = stream.offset + 1;
    // No envelope object when the caller does not read it (the hub's emitNow): the frame is built
    // from the ids and the data's JSON; only the long way below needs one.
    const envelope = !wantEnvelope
      ? undefined
      : dataChecked
        ? buildCheckedEnvelope(type, runId, threadId, userId, seq, offset, stream.epoch, now, data)
        : buildEnvelope({ type, runId, threadId, userId, seq, offset, epoch: stream.epoch, ts: now }, data);
    // The frame's JSON is the run's header part (kept with the run) around the data's JSON: only
    // the data is serialised per event, not the header's ids again. Throws before anything is
    // committed. (Data whose JSON is not an object — an inherited toJSON — goes the long way.)
    const dataJson = dataJsonOf(type, data);
    // Spliced frames are written as bytes straight into the chunk below (writeEnvelopeJson); only
    // the long way builds the text as a string.
    const text = dataJson.charCodeAt(0) === 0x7b ? undefined : envelopeText(envelope ?? buildEnvelope({ type, runId, threadId, userId, seq, offset, epoch: stream.epoch, ts: now }, data));
    run.lastSeq = seq;
    stream.offset = offset;
    run.lastOffset = offset;
    run.lastActivity = at;
    stream.lastActivity = at;
    stream.ref = true;

    const id = this.tailId++;
    const seg = this.segmentFor(id);
    const slot = id & SEGMENT_MASK;
    const epoch = stream.epoch;
    let chunk: Chunk;
    let frame: Uint8Array;
    let headerLength: number;
    let len: number;
    let pos: number;
    let kept: number;
    if (text === undefined) {
      // The live frame, whole, into the live slab: room in front of the JSON for the WebSocket frame
      // header (written once the length is known), so a live send is one contiguous buffer (ws-frame.ts).
      const maxLen = envelopeJsonRoom(run.idsJson, run.idsAscii, epoch, dataJson);
      const headRoom = frameHeaderRoom(maxLen);
      const live = this.liveFor(maxLen + headRoom, run.idsJson, epoch, dataJson);
      const start = live.used + headRoom;
      const dataAt = writeEnvelopeHead(live.buf, start, type, run.idsJson, run.idsAscii, seq, offset, epoch, now);
      const end = writeEnvelopeData(live.buf, dataAt, dataJson);
      len = end - start;
      const frameAt = writeTextFrameHeader(live.buf, start, len);
      live.used = end;
      frame = new FastBuffer(live.ab, live.base + frameAt, end - frameAt);
      headerLength = start - frameAt;
      // Stored: the data part only (the header is the table's, the run's and the stream's).
      kept = end - dataAt;
      chunk = this.chunkFor(kept, kept);
      pos = chunk.used;
      copyBytes(live.buf, dataAt, end, chunk.buf, pos);
      seg.type[slot] = eventTypeCode(type);
    } else {
      // The long way: the text's bytes, stored whole behind their frame header and sent from the chunk.
      const maxLen = text.length * 3;
      const headRoom = frameHeaderRoom(maxLen);
      chunk = this.chunkFor(maxLen + headRoom, Buffer.byteLength(text) + headRoom);
      pos = chunk.used + headRoom;
      len = chunk.buf.write(text, pos);
      const frameAt = writeTextFrameHeader(chunk.buf, pos, len);
      frame = new FastBuffer(chunk.ab, chunk.base + frameAt, pos + len - frameAt);
      headerLength = pos - frameAt;
      kept = len;
      seg.type[slot] = WHOLE;
    }
    chunk.used = pos + kept;
    chunk.lastId = id;
    seg.ts[slot] = now;
    seg.offset[slot] = offset;
    seg.seq[slot] = seq;
    seg.len[slot] = len;
    seg.dropped[slot] = 0;
    seg.run[slot] = run;
    seg.pos[slot] = pos;
    seg.kept[slot] = kept;
    seg.next[slot] = NONE;
    this.frameCount++;
    if (stream.count === 0) stream.first = id;
    else this.segmentOf(stream.last).next[stream.last & SEGMENT_MASK] = id;
    stream.last = id;
    stream.count++;
    const size = len + FRAME_OVERHEAD_BYTES;
    stream.bytes += size;

    while (stream.bytes > this.maxBytesPerUser && stream.count > 1) this.dropUserHead(stream);
    while (this.totalBytes() > this.maxBytes && this.headId < id) this.evictHead();
    this.lastOwner = stream;
    this.lastRun = run;
    if (type === 'agent_completed') run.idsJson = '';
    const last = this.last;
    last.seq = seq;
    last.offset = offset;
    last.epoch = stream.epoch;
    last.ts = now;
    last.frame = frame;
    last.headerLength = headerLength;
    return envelope as EventEnvelope<T>;
  }

  /** Events of the user's run after `afterSeq`, with an explicit gap when some are no longer stored. */
  since(userId: string, runId: string, afterSeq: number): ReplayResult {
    const now = this.now();
    this.trimAged(now);
    const rec = this.liveRun(runId, now);
    if (!rec || rec.userId !== userId) return { status: 'unknown' };
    if (afterSeq >= rec.lastSeq) return { status: 'ok', frames: [], lastSeq: rec.lastSeq };
    const frames: StoredFrame[] = [];
    const stream = rec.stream;
    if (!stream.gone && stream.count > 0) {
      const first = this.segmentOf(stream.first).offset[stream.first & SEGMENT_MASK]!;
      for (let id = this.skip(stream.first, rec.firstOffset - first); id !== NONE; ) {
        const seg = this.segmentOf(id);
        const slot = id & SEGMENT_MASK;
        if (seg.run[slot] === rec && seg.seq[slot]! > afterSeq) frames.push(this.frameAt(id, stream.epoch));
        id = seg.next[slot]!;
      }
    }
    const wanted = afterSeq + 1;
    const head = frames[0];
    if (head && head.seq === wanted) return { status: 'ok', frames, lastSeq: rec.lastSeq };
    return { status: 'gap', frames, lastSeq: rec.lastSeq, fromSeq: wanted, availableFrom: head ? head.seq : null };
  }

  /**
   * Every frame of the user's stream after `from`, or an explicit gap: `trimmed` when frames after
   * `from` were dropped (the runs that lost events are listed), `reset` when `from` is not a
   * position in this stream (another epoch: the stream was dropped, or the server restarted).
   */
  after(userId: string, from: StreamPosition): UserReplay {
    const now = this.now();
    this.trimAged(now);
    const stream = this.streamOf(userId, now);
    const position = { epoch: stream.epoch, offset: stream.offset };
    const firstStored = stream.count > 0 ? this.segmentOf(stream.first).offset[stream.first & SEGMENT_MASK]! : stream.offset + 1;
    const stored = (fromOffset: number): StoredFrame[] => {
      const out: StoredFrame[] = [];
      if (stream.count === 0) return out;
      for (let id = this.skip(stream.first, fromOffset - firstStored); id !== NONE; id = this.nextOf(id)) out.push(this.frameAt(id, stream.epoch));
      return out;
    };
    const availableFrom = firstStored <= stream.offset ? firstStored : null;
    if (from.epoch !== stream.epoch || from.offset > stream.offset) {
      const { runs, truncated } = this.lostRuns(stream, 0, firstStored);
      return { status: 'gap', reason: 'reset', frames: stored(1), position, fromOffset: 1, availableFrom, runs, runsTruncated: truncated };
    }
    if (from.offset + 1 >= firstStored) return { status: 'ok', frames: stored(from.offset + 1), position };
    const { runs, truncated } = this.lostRuns(stream, from.offset, firstStored);
    return { status: 'gap', reason: 'trimmed', frames: stored(firstStored), position, fromOffset: from.offset + 1, availableFrom, runs, runsTruncated: truncated };
  }

  /**
   * bytes: what the total bound counts (chunks held + bookkeeping of the stored frames); frames stored;
   * user streams and runs remembered.
   */
  stats(): { bytes: number; frames: number; users: number; runs: number } {
    return { bytes: this.totalBytes(), frames: this.frameCount, users: this.users.size, runs: this.runs.size };
  }

  /** Bytes stored for one user, as the per-user bound counts them (0 if none). */
  userBytes(userId: string): number {
    return this.users.get(userId)?.bytes ?? 0;
  }

  get runCount(): number {
    return this.runs.size;
  }

  clear(): void {
    for (const s of this.users.values()) s.gone = true;
    this.users.clear();
    this.runs.clear();
    this.userOrder.clear();
    this.runOrder.clear();
    // The frame table starts again empty at tailId (ids are never reused).
    this.segments = [];
    this.segmentBase = Math.floor(this.tailId / SEGMENT_SIZE) * SEGMENT_SIZE;
    this.spareSegment = undefined;
    this.chunks = [];
    this.chunkHead = 0;
    this.chunkBytes = 0;
    this.headId = this.tailId;
    this.frameCount = 0;
    this.lastOwner = undefined;
    this.lastRun = undefined;
    this.absent = undefined;
  }

  // ---- internals ---------------------------------------------------------------------

  /**
   * `now` relative to clockBase, as the records keep it: a whole number of ms is made a small integer
   * (`| 0`), which V8 stores in the record itself. The difference of two clock readings is a double
   * to V8 even when whole, and a record field once given one holds every value as a separate heap
   * number (one more object per run record for the collector: measured 61 015 heap numbers for 60 000
   * runs before). Past 2^30 ms (12 days) it stays a double: correct, with a heap number again.
   */
  private relative(now: number): number {
    const at = now - this.clockBase;
    return at <= 0x3fffffff && (at | 0) === at ? at | 0 : at;
  }

  private totalBytes(): number {
    return this.chunkBytes + this.frameCount * FRAME_OVERHEAD_BYTES;
  }

  /** The frame `n` places after `id` along its stream's chain (NONE past the newest; `id` itself for n ≤ 0). */
  private skip(id: number, n: number): number {
    for (let i = 0; i < n && id !== NONE; i++) id = this.nextOf(id);
    return id;
  }

  /**
   * A stored frame as a replay hands it out: the bytes that were sent live, written again from the
   * frame's header parts and its stored data part (a frame stored whole: a view of its chunk).
   * `epoch` is the frame's stream's (a stored frame's stream is never gone).
   */
  private frameAt(id: number, epoch: string): StoredFrame {
    const seg = this.segmentOf(id);
    const slot = id & SEGMENT_MASK;
    const buf = this.chunkOf(id).buf;
    const run = seg.run[slot]!;
    const pos = seg.pos[slot]!;
    const len = seg.len[slot]!;
    const code = seg.type[slot]!;
    if (code === WHOLE) return { offset: seg.offset[slot]!, runId: run.runId, seq: seg.seq[slot]!, text: new FastBuffer(buf.buffer, buf.byteOffset + pos, len) };
    // A completed run's record no longer keeps its ids JSON: made again (the same text) for the replay.
    const ids = run.idsJson.length > 0 ? { json: run.idsJson, ascii: run.idsAscii } : runIdsText(run.runId, run.threadId, run.userId);
    const out = Buffer.allocUnsafe(len);
    const at = writeEnvelopeHead(out, 0, CRITICAL_EVENT_TYPES[code]!, ids.json, ids.ascii, seg.seq[slot]!, seg.offset[slot]!, epoch, seg.ts[slot]!);
    const kept = seg.kept[slot]!;
    if (at + kept !== len) throw new Error(`replay store: frame ${id} rebuilt to ${at + kept} bytes, stored as ${len}`);
    copyBytes(buf, pos, pos + kept, out, at);
    return { offset: seg.offset[slot]!, runId: run.runId, seq: seg.seq[slot]!, text: out };
  }

  /**
   * The held chunk of a stored frame (id in [headId, tailId), not dropped): the first held chunk whose
   * lastId reaches it. lastIds increase from chunk to chunk, except that the chunk being filled may
   * have none yet (-1): it then holds no stored frame and counts as past every id.
   */
  private chunkOf(id: number): Chunk {
    const chunks = this.chunks;
    let lo = this.chunkHead;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const last = chunks[mid]!.lastId;
      if (last >= id || last < 0) hi = mid;
      else lo = mid + 1;
    }
    return chunks[lo]!;
  }

  /**
   * The chunk being filled if `room` bytes fit in it, else a new one: of the usual size, or of `exact`
   * bytes for a frame needing more than a quarter chunk.
   */
  private chunkFor(room: number, exact: number): Chunk {
    const chunk = this.chunks.length > this.chunkHead ? this.chunks[this.chunks.length - 1]! : undefined;
    if (chunk !== undefined && chunk.size - chunk.used >= room) return chunk;
    return this.newChunk(room > this.chunkSize >> 2 ? exact : this.chunkSize);
  }

  /**
   * The live slab if `room` bytes fit in it, else a new one (the full one is let go: views of it keep
   * it alive while a socket needs them); a frame needing more than a quarter slab gets a buffer of its
   * own, of about its exact size, and the slab stays.
   */
  private liveFor(room: number, idsJson: string, epoch: string, dataJson: string): Chunk {
    const live = this.live;
    if (live !== undefined && live.size - live.used >= room) return live;
    if (room > LIVE_SLAB_BYTES >> 2) {
      const exact = envelopeJsonRoom('', true, epoch, '') + Buffer.byteLength(idsJson) + Buffer.byteLength(dataJson) + frameHeaderRoom(room);
      return slab(Math.min(room, exact));
    }
    return (this.live = slab(LIVE_SLAB_BYTES));
  }

  /** A chunk of its own (not a slice of Node's shared pool), at least `bytes` long. */
  private newChunk(bytes: number): Chunk {
    const chunk = slab(bytes);
    this.chunks.push(chunk);
    this.chunkBytes += chunk.size;
    return chunk;
  }

  /** Frees the chunks the ring's head has passed (every frame in them is gone). */
  private freeChunks(): void {
    while (this.chunkHead < this.chunks.length) {
      const chunk = this.chunks[this.chunkHead]!;
      // The chunk being filled stays while it may take more (its lastId is the newest frame).
      if (chunk.lastId >= this.headId || this.chunkHead === this.chunks.length - 1) break;
      this.chunkBytes -= chunk.buf.length;
      this.chunks[this.chunkHead++] = undefined as unknown as Chunk;
    }
    if (this.chunkHead > 64 && this.chunkHead * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.chunkHead);
      this.chunkHead = 0;
    }
    if (this.headId === this.tailId && this.chunkHead === this.chunks.length - 1) {
      // Nothing stored: the chunk being filled goes too.
      this.chunkBytes -= this.chunks[this.chunkHead]!.buf.length;
      this.chunks = [];
      this.chunkHead = 0;
    }
  }

  private trimAged(now: number): void {
    const limit = now - this.maxAgeMs;
    while (this.headId < this.tailId) {
      const seg = this.segmentOf(this.headId);
      const slot = this.headId & SEGMENT_MASK;
      if (seg.dropped[slot] === 0 && seg.ts[slot]! >= limit) break;
      this.evictHead();
    }
  }

  /** Drops the oldest frame id; a live one is its stream's oldest, so it leaves the stream too. */
  private evictHead(): void {
    const id = this.headId++;
    const seg = this.segmentOf(id);
    const slot = id & SEGMENT_MASK;
    if (seg.dropped[slot] === 0) {
      // A live frame's stream is its run's: a run moves to a new stream only once its old one is
      // gone, and a stream goes only after all its frames were dropped.
      const stream = seg.run[slot]!.stream;
      if (stream.first === id) this.dropUserHead(stream);
      else this.dropFrame(seg, slot, stream);
    }
    // The head left a segment: every frame in it is dropped (no record referenced); kept as the spare.
    if (this.headId - this.segmentBase >= SEGMENT_SIZE) {
      this.spareSegment = this.segments.shift();
      this.segmentBase += SEGMENT_SIZE;
    }
    if (this.chunks[this.chunkHead]!.lastId < this.headId) this.freeChunks();
  }

  /** Drops a stream's oldest stored frame. */
  private dropUserHead(stream: UserStream): void {
    const id = stream.first;
    const seg = this.segmentOf(id);
    const slot = id & SEGMENT_MASK;
    stream.first = seg.next[slot]!;
    stream.count--;
    if (stream.count === 0) stream.first = stream.last = NONE;
    this.dropFrame(seg, slot, stream);
  }

  private dropFrame(seg: FrameSegment, slot: number, stream: UserStream): void {
    if (seg.dropped[slot] !== 0) return;
    seg.dropped[slot] = 1;
    const bytes = seg.len[slot]! + FRAME_OVERHEAD_BYTES;
    stream.bytes -= bytes;
    this.frameCount--;
    seg.run[slot] = undefined;
    // The bytes stay in their chunk (a husk) until the head passes them and frees the chunk.
  }

  /** The segment holding a frame id in [headId, tailId). */
  private segmentOf(id: number): FrameSegment {
    return this.segments[(id - this.segmentBase) >>> SEGMENT_BITS]!;
  }

  /** The segment for the id being appended (tailId - 1): a new one (or the spare) when it starts one. */
  private segmentFor(id: number): FrameSegment {
    const k = (id - this.segmentBase) >>> SEGMENT_BITS;
    if (k < this.segments.length) return this.segments[k]!;
    const seg = this.spareSegment ?? new FrameSegment();
    this.spareSegment = undefined;
    this.segments.push(seg);
    return seg;
  }

  /** The next frame of the same stream after `id` (NONE after its newest). */
  private nextOf(id: number): number {
    return this.segmentOf(id).next[id & SEGMENT_MASK]!;
  }


  private streamOf(userId: string, now: number): UserStream {
    let stream = this.users.get(userId);
    const at = this.relative(now);
    if (stream !== undefined && at - stream.lastActivity > this.metaTtlMs) {
      this.dropStream(stream);
      stream = undefined;
    }
    if (stream === undefined) {
      stream = { userId, epoch: nextEpoch(), offset: 0, first: NONE, last: NONE, count: 0, bytes: 0, lastActivity: at, ref: true, runs: undefined, liveRuns: 0, gone: false, threadId: '', ownerVersion: -1, ownerCache: undefined };
      if (at < this.minActivity) this.minActivity = at;
      this.users.set(userId, stream);
      this.userOrder.push(stream);
      if (this.users.size > this.maxUsers) this.evictStream(now);
      else if (this.userOrder.size > 2 * this.users.size + 1024) this.userOrder.filter((u) => this.users.get(u.userId) === u);
    } else {
      stream.lastActivity = at;
    }
    return stream;
  }

  private liveRun(runId: string, now: number): RunRecord | undefined {
    const rec = this.runs.get(runId);
    if (rec && now - this.clockBase - rec.lastActivity > this.metaTtlMs) {
      this.dropRun(rec);
      return undefined;
    }
    return rec;
  }

  /** Runs of `stream` that had events after `after` some of which are no longer stored. */
  private lostRuns(stream: UserStream, after: number, firstStored: number): { runs: LostRun[]; truncated: boolean } {
    const candidates = (stream.runs ?? []).filter((r) => !r.dropped && r.stream === stream && r.lastOffset > after && r.firstOffset < firstStored);
    if (candidates.length === 0) return { runs: [], truncated: false };
    const firstSeq = new Map<RunRecord, number>();
    for (let id = stream.first; id !== NONE; ) {
      const seg = this.segmentOf(id);
      const slot = id & SEGMENT_MASK;
      const run = seg.run[slot]!;
      if (!firstSeq.has(run)) firstSeq.set(run, seg.seq[slot]!);
      id = seg.next[slot]!;
    }
    // Most recently active first: those are the ones a client most likely still shows.
    candidates.sort((a, b) => b.lastOffset - a.lastOffset);
    const runs = candidates.slice(0, MAX_LOST_RUNS_REPORTED).map((r) => ({ runId: r.runId, lastSeq: r.lastSeq, availableFrom: firstSeq.get(r) ?? null }));
    return { runs, truncated: candidates.length > MAX_LOST_RUNS_REPORTED };
  }

  private dropStream(stream: UserStream): void {
    // Its frames become husks in the ring (passed over in time).
    while (stream.count > 0) this.dropUserHead(stream);
    stream.gone = true;
    if (this.users.get(stream.userId) === stream) this.users.delete(stream.userId);
  }

  private addRun(stream: UserStream, run: RunRecord): void {
    const runs = (stream.runs ??= []);
    runs.push(run);
    stream.liveRuns++;
    if (runs.length > 2 * stream.liveRuns + 16) {
      stream.runs = runs.filter((r) => !r.dropped && r.stream === stream);
      stream.liveRuns = stream.runs.length;
    }
  }

  private dropRun(rec: RunRecord): void {
    if (!rec.dropped) {
      rec.dropped = true;
      rec.stream.liveRuns--;
    }
    if (this.runs.get(rec.runId) === rec) this.runs.delete(rec.runId);
  }

  /** Beyond maxUsers: a second-chance clock over creation order (a stream used since it was last passed over is spared once). */
  private evictStream(now: number): void {
    for (let passes = 0; this.users.size > this.maxUsers && passes <= 2 * this.userOrder.size; passes++) {
      const stream = this.userOrder.shift();
      if (stream === undefined) return;
      if (this.users.get(stream.userId) !== stream) continue; // dropped already
      if (stream.ref && now - this.clockBase - stream.lastActivity <= this.metaTtlMs) {
        stream.ref = false;
        this.userOrder.push(stream);
        continue;
      }
      this.dropStream(stream);
    }
  }

  private evictRun(now: number): void {
    for (let passes = 0; this.runs.size > this.maxRuns && passes <= 2 * this.runOrder.size; passes++) {
      const rec = this.runOrder.shift();
      if (rec === undefined) return;
      if (this.runs.get(rec.runId) !== rec) continue;
      if (rec.ref && now - this.clockBase - rec.lastActivity <= this.metaTtlMs) {
        rec.ref = false;
        this.runOrder.push(rec);
        continue;
      }
      this.dropRun(rec);
    }
  }

  /**
   * Forgets users and runs idle beyond metaTtlMs (at most every 10 s, on an append, and only once
   * one may be: see minActivity).
   */
  private sweep(now: number): void {
    this.lastSweep = now;
    const at = now - this.clockBase;
    const ttl = this.metaTtlMs;
    let min = Number.POSITIVE_INFINITY;
    for (const rec of this.runs.values()) {
      if (at - rec.lastActivity > ttl) this.dropRun(rec);
      else if (rec.lastActivity < min) min = rec.lastActivity;
    }
    for (const stream of this.users.values()) {
      if (at - stream.lastActivity > ttl) this.dropStream(stream);
      else if (stream.lastActivity < min) min = stream.lastActivity;
    }
    this.minActivity = min;
  }
}

/** A Chunk over a buffer of its own (not a slice of Node's shared pool) of `bytes` bytes. */
function slab(bytes: number): Chunk {
  const buf = Buffer.allocUnsafeSlow(bytes);
  return { buf, ab: buf.buffer, base: buf.byteOffset, size: buf.length, used: 0, lastId: -1 };
}

/** Copies src[from, to) to dst at `at`: a loop for the usual few hundred bytes (Buffer#copy's call costs more), copy beyond. */
function copyBytes(src: Buffer, from: number, to: number, dst: Buffer, at: number): void {
  const n = to - from;
  if (n > 512) {
    src.copy(dst, at, from, to);
    return;
  }
  for (let i = 0; i < n; i++) dst[at + i] = src[from + i]!;
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer (got ${value})`);
  return value;
}
