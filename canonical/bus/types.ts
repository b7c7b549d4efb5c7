import type { CriticalEventData, CriticalEventType, EventEnvelope } from '../events.js';
import type { OutboundMessage } from '../protocol.js';

/**
 * The Bus seam: everything that must be shared between server instances goes through it.
 * - publishEvent assigns the gapless per-run `seq` (single writer per run: the instance that
 *   runs the agent), stores the envelope for replay, and delivers it to every instance that
 *   subscribed to the user.
 * - publishToUser delivers an unsequenced frame (optionally only to sockets bound to a thread).
 * - replay reads a run's stored envelopes after a seq, for one user only.
 * The in-memory bus (memory.ts) is the default; a Redis bus (Streams for storage, pub/sub per
 * user for delivery) implements the same interface. Everything crossing it is JSON-safe.
 */

export interface PublishEventInput<T extends CriticalEventType = CriticalEventType> {
  userId: string;
  threadId: string;
  runId: string;
  type: T;
  data: CriticalEventData[T];
  /**
   * JSON.stringify(data), when the caller already has it (the hub serialises each event's data
   * once while validating it). A bus may splice it into the envelope's JSON instead of
   * serialising again; it must describe `data` exactly.
   */
  dataJson?: string;
}

export type BusDelivery =
  /** `json`, when present, is the envelope's JSON (the bus had it already): listeners send it as is. */
  | { kind: 'event'; userId: string; envelope: EventEnvelope; json?: string }
  | { kind: 'message'; userId: string; threadId?: string; message: OutboundMessage };

/** Returns how many sockets this subscriber wrote the frame to. */
export type BusListener = (delivery: BusDelivery) => number;

export type ReplayResult =
  /** Every event after `afterSeq` is still stored (possibly none). */
  | { status: 'ok'; events: EventEnvelope[]; lastSeq: number }
  /** Events `fromSeq .. availableFrom-1` are gone; `events` holds what is left. */
  | { status: 'gap'; events: EventEnvelope[]; lastSeq: number; fromSeq: number; availableFrom: number | null }
  /** The bus knows no such run for this user (never existed, expired, or someone else's). */
  | { status: 'unknown' };

export interface Bus {
  publishEvent<T extends CriticalEventType>(input: PublishEventInput<T>): Promise<EventEnvelope<T>>;
  /** Resolves to the number of deliveries the bus can see (memory: sockets; Redis: instances). */
  publishToUser(userId: string, message: OutboundMessage, options?: { threadId?: string }): Promise<number>;
  replay(userId: string, runId: string, afterSeq: number): Promise<ReplayResult>;
  /** Called when this instance holds the user's first socket; the returned function unsubscribes. */
  subscribe(userId: string, listener: BusListener): () => void;
  close(): Promise<void>;
}
