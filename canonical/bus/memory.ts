import type { CriticalEventType, EventEnvelope } from '../events.js';
import type { OutboundMessage } from '../protocol.js';
import { ReplayBuffer } from '../replay.js';
import type { ReplayBufferOptions } from '../replay.js';
import type { Bus, BusDelivery, BusListener, PublishEventInput, ReplayResult, StreamPosition, UserReplay } from './types.js';

export interface MemoryBusOptions {
  replay?: ReplayBufferOptions;
}

/**
 * The embedded default bus: one process, delivery by direct call, every answer synchronous.
 * An event is sequenced, stored (as its frame text) and on every local socket's queue before
 * publishEvent returns, and no promise is made on the way.
 */
type Listeners = BusListener | Set<BusListener>;

const utf8 = new TextDecoder();

/**
 * The live event delivery, one object rewritten per event: `frame` is the frame as written (WebSocket
 * header + payload); `text` (a view of the payload) and `string` (its decoding) are made only if
 * a listener reads them (the hub does not for a `ws` socket).
 */
class LiveDelivery {
  readonly kind = 'event' as const;
  userId = '';
  runId = '';
  seq = 0;
  offset = 0;
  epoch = '';
  frame: Uint8Array | undefined = undefined;
  headerLength = 0;

  get text(): Uint8Array {
    const f = this.frame!;
    return f.subarray(this.headerLength);
  }

  get string(): string {
    return utf8.decode(this.text);
  }
}

export class MemoryBus implements Bus {
  readonly buffer: ReplayBuffer;
  // One listener per user is the norm (the hub's): kept bare, a Set only from the second one.
  private readonly listeners = new Map<string, Listeners>();
  /** Bumped by every subscribe, unsubscribe and close: listeners cached with a run are current while it matches. */
  private version = 0;
  /** One delivery object for every event (a delivery is valid during the call only). */
  private readonly delivery = new LiveDelivery();
  private closed = false;

  constructor(options: MemoryBusOptions = {}) {
    this.buffer = new ReplayBuffer(options.replay);
  }

  publishEvent<T extends CriticalEventType>(input: PublishEventInput<T>, dataChecked = false): EventEnvelope<T> {
    this.assertOpen();
    const envelope = this.buffer.appendEvent(input.userId, input.threadId, input.runId, input.type, input.data, input.runSlot, dataChecked, input.noEnvelope !== true);
    const f = this.buffer.last;
    // The listeners (the hub) write this one string to every socket of the user.
    const d = this.delivery;
    d.userId = input.userId;
    d.runId = input.runId;
    d.seq = f.seq;
    d.offset = f.offset;
    d.epoch = f.epoch;
    // The frame's UTF-8 bytes behind their WebSocket frame header: one write per `ws` socket, and
    // the hub takes the payload from it for a socket that wants bytes (no second encoding); the
    // text (payload view or string) only for a listener that asks.
    d.frame = f.frame;
    d.headerLength = f.headerLength;
    // The user's listeners, cached with the user's stream in the store until any subscription changes: the
    // listener table is not searched once per event.
    const owner = this.buffer.lastOwner!;
    let current: Listeners | undefined;
    if (owner.ownerVersion === this.version) current = owner.ownerCache as Listeners | undefined;
    else {
      current = this.listeners.get(input.userId);
      owner.ownerVersion = this.version;
      owner.ownerCache = current;
    }
    if (current !== undefined) this.deliverTo(current, d);
    return envelope;
  }

  publishToUser(userId: string, message: OutboundMessage, options: { threadId?: string } = {}): number {
    this.assertOpen();
    const delivery: BusDelivery =
      options.threadId === undefined
        ? { kind: 'message', userId, message }
        : { kind: 'message', userId, threadId: options.threadId, message };
    return this.deliver(delivery);
  }

  position(userId: string): StreamPosition {
    this.assertOpen();
    return this.buffer.position(userId);
  }

  replayUser(userId: string, from: StreamPosition): UserReplay {
    this.assertOpen();
    return this.buffer.after(userId, from);
  }

  replay(userId: string, runId: string, afterSeq: number): ReplayResult {
    this.assertOpen();
    return this.buffer.since(userId, runId, afterSeq);
  }

  subscribe(userId: string, listener: BusListener): () => void {
    this.version++;
    const current = this.listeners.get(userId);
    if (current === undefined) this.listeners.set(userId, listener);
    else if (typeof current === 'function') {
      if (current !== listener) this.listeners.set(userId, new Set([current, listener]));
    } else current.add(listener);
    return () => this.unsubscribe(userId, listener);
  }

  unsubscribe(userId: string, listener: BusListener): void {
    this.version++;
    const now = this.listeners.get(userId);
    if (now === listener) this.listeners.delete(userId);
    else if (typeof now === 'object') {
      now.delete(listener);
      if (now.size === 1) this.listeners.set(userId, now.values().next().value!);
      else if (now.size === 0) this.listeners.delete(userId);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.version++;
    this.listeners.clear();
    this.buffer.clear();
  }

  private deliver(delivery: BusDelivery): number {
    const current = this.listeners.get(delivery.userId);
    return current === undefined ? 0 : this.deliverTo(current, delivery);
  }

  private deliverTo(current: Listeners, delivery: BusDelivery): number {
    if (typeof current === 'function') return this.call(current, delivery);
    let count = 0;
    for (const listener of [...current]) count += this.call(listener, delivery);
    return count;
  }

  private call(listener: BusListener, delivery: BusDelivery): number {
    try {
      return listener(delivery);
    } catch {
      // One subscriber's failure must not stop delivery to the others; the hub logs its own.
      return 0;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('bus is closed');
  }
}

export function createMemoryBus(options?: MemoryBusOptions): MemoryBus {
  return new MemoryBus(options);
}
