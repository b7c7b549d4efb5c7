import type { CriticalEventData, CriticalEventType, EventEnvelope } from '../events.js';
import type { OutboundMessage } from '../protocol.js';

/**
 * The Bus seam: everything that must be shared between server instances goes through it.
 * - publishEvent assigns the gapless per-run `seq` (single writer per run: the instance that
 *   runs the agent) and the gapless per-user `offset` (the user's stream, all runs), stores the
 *   serialised frame for replay, and delivers it to every instance subscribed to the user.
 * - publishToUser delivers an unsequenced frame (optionally only to sockets bound to a thread).
 * - position / replayUser: where a user's stream stands, and everything after a position —
 *   what a reconnecting client resumes with (one epoch + offset, however many runs).
 * - replay reads one run's stored frames after a seq, for its owner only.
 * The in-memory bus (memory.ts) is the default and answers synchronously (no promise per
 * event); the Redis bus (Streams, one stream per user; pub/sub per user) answers with
 * promises. Callers accept either (`MaybePromise`). Everything crossing it is JSON-safe.
 */

export type MaybePromise<T> = T | Promise<T>;

export interface PublishEventInput<T extends CriticalEventType = CriticalEventType> {
  userId: string;
  threadId: string;
  runId: string;
  type: T;
  /** Checked by the hub (checkEventFields); the bus serialises it, once. */
  data: CriticalEventData[T];
  /**
   * An object the caller keeps for this run across its events (the hub passes its run state): a
   * bus may cache its own per-run state in `busRef` to skip a lookup per event, and must check
   * that what it finds there is still current.
   */
  runSlot?: RunSlot;
  /**
   * @internal The caller does not read the envelope (the hub's emitNow): the memory bus then builds
   * none and returns undefined in its place. Other buses ignore it.
   */
  noEnvelope?: boolean;
}

export interface RunSlot {
  busRef?: unknown;
}

/** A place in a user's stream: the stream's incarnation and the last offset seen (0 = none). */
export interface StreamPosition {
  epoch: string;
  offset: number;
}

/**
 * An event frame's JSON text, as a string or as its UTF-8 bytes. The memory bus keeps bytes:
 * they live off the JS heap (the garbage collector neither scans nor copies them) and go to a
 * `ws` socket as a text frame without being encoded again.
 */
export type FrameText = string | Uint8Array;

const utf8 = new TextDecoder();

/** The frame text as a string (decodes bytes). */
export function frameString(text: FrameText): string {
  return typeof text === 'string' ? text : utf8.decode(text);
}

/** One stored event, exactly as it was sent live. */
export interface StoredFrame {
  readonly offset: number;
  readonly runId: string;
  readonly seq: number;
  /** The envelope's JSON: the bytes sent live (the data never serialised again). */
  readonly text: FrameText;
}

export type BusDelivery =
  /** An event: its frame text plus what the hub needs for routing and bookkeeping. Valid during the call only. */
  | {
      kind: 'event';
      userId: string;
      runId: string;
      seq: number;
      offset: number;
      epoch: string;
      text: FrameText;
      /** The same frame as a string, when the bus has one at hand (for sockets that take only strings). */
      string?: string;
      /**
       * The same frame pre-encoded as a complete WebSocket text frame (header + UTF-8 payload), when
       * the bus has one at hand (for `ws` sockets without per-message deflate: see ws-frame.ts).
       */
      frame?: Uint8Array;
    }
  | { kind: 'message'; userId: string; threadId?: string; message: OutboundMessage };

/** Returns how many sockets this subscriber wrote the frame to. */
export type BusListener = (delivery: BusDelivery) => number;

/** One run's replay (per-run refetch). */
export type ReplayResult =
  /** Every event after `afterSeq` is still stored (possibly none). */
  | { status: 'ok'; frames: StoredFrame[]; lastSeq: number }
  /** Events `fromSeq .. availableFrom-1` are gone; `frames` holds what is left. */
  | { status: 'gap'; frames: StoredFrame[]; lastSeq: number; fromSeq: number; availableFrom: number | null }
  /** The bus knows no such run for this user (never existed, expired, or someone else's). */
  | { status: 'unknown' };

/** A run that lost stored events in a user-level gap: refetch it from its source of truth. */
export interface LostRun {
  runId: string;
  /** The run's last seq. */
  lastSeq: number;
  /** Its first seq still stored (the frames follow), or null if none is. */
  availableFrom: number | null;
}

/** A user's replay after a position (resume). `position` is the head the replay ran up to. */
export type UserReplay =
  | { status: 'ok'; frames: StoredFrame[]; position: StreamPosition }
  | {
      status: 'gap';
      /**
       * trimmed: events after the position were dropped (age or size bounds) — offsets
       * `fromOffset .. availableFrom-1` are gone; reset: the position is not in this stream (other
       * epoch: the stream was dropped or lost, e.g. a restart) — everything stored is sent.
       */
      reason: 'trimmed' | 'reset';
      frames: StoredFrame[];
      position: StreamPosition;
      fromOffset: number;
      /** First offset still stored, or null if nothing is. */
      availableFrom: number | null;
      /** Runs that lost events in the gap (most recently active first, at most 1000). */
      runs: LostRun[];
      runsTruncated: boolean;
    };

export interface Bus {
  /**
   * `dataChecked`: the caller (the hub) ran checkEventFields on `input.data` in this same synchronous
   * call, so no header key can come from the data — a bus may build the envelope without asserting
   * the header over the data a second time.
   */
  publishEvent<T extends CriticalEventType>(input: PublishEventInput<T>, dataChecked?: boolean): MaybePromise<EventEnvelope<T>>;
  /** Resolves to the number of deliveries the bus can see (memory: sockets; Redis: instances). */
  publishToUser(userId: string, message: OutboundMessage, options?: { threadId?: string }): MaybePromise<number>;
  /**
   * Where the user's stream stands for this instance's subscription: every event after it will
   * reach the listener. Call after subscribe(); the server tells a connecting client this position.
   */
  position(userId: string): MaybePromise<StreamPosition>;
  /** Everything in the user's stream after `from` (or an explicit gap). */
  replayUser(userId: string, from: StreamPosition): MaybePromise<UserReplay>;
  /** One run of the user after `afterSeq` (another user's run answers exactly like an unknown one). */
  replay(userId: string, runId: string, afterSeq: number): MaybePromise<ReplayResult>;
  /** Called when this instance holds the user's first socket; the returned function unsubscribes. */
  subscribe(userId: string, listener: BusListener): () => void;
  /**
   * Optional: undoes subscribe(userId, listener), as its returned function does. A bus that has it
   * spares its subscribers keeping one such function per user (memory per idle connection).
   */
  unsubscribe?(userId: string, listener: BusListener): void;
  close(): Promise<void>;
}

/** True for a promise (or any thenable): how callers tell the async answer of a bus from a sync one. */
export function isThenable<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
