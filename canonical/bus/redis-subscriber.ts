/**
 * Delivery side of the Redis bus: one pub/sub connection per instance, one channel per user
 * that has a socket here. Guarantees to the hub, per user: events in offset order, never the
 * same offset twice, and nothing lost across a Redis disconnect or between a socket's arrival
 * and its SUBSCRIBE taking effect:
 * - a new subscription reads the user's stream position first, subscribes, then delivers what
 *   the stream got in between — `position(userId)` is that point, everything after it follows;
 * - an offset jump is filled from the user's stream before delivering past it;
 * - after the subscriber reconnects, each subscribed user's stream is read from the last offset
 *   delivered (or from its start when the epoch changed: Redis lost the data) and the missed
 *   events are delivered before any live frame that arrived meanwhile.
 * Events arrive on event channels (a batch per message, possibly with other users' events:
 * eventShard), subscribed while this instance holds a user of theirs; unsequenced messages on the
 * user's own channel. Frames travel as bytes from Redis to the sockets (`messageBuffer`): never
 * decoded, never parsed. Unsequenced messages (publishToUser) are at most once: pub/sub does not keep them.
 */
import type { Redis } from 'ioredis';
import type { BusDelivery, BusListener, StreamPosition } from './types.js';
import { ChannelEvent, decodeEventBatch, decodeMessagePayload, parseStreamEntries } from './redis-keys.js';
import type { ChannelPayload, RedisKeys } from './redis-keys.js';

export interface SubscriberOptions {
  keys: RedisKeys;
  /** How long a catch-up, a fill or position() waits for the command connection to be ready. */
  readyTimeoutMs: number;
  /** Reads the user's position (creating its epoch): the bus's position script. */
  readPosition(userId: string): Promise<StreamPosition>;
  /** The event shard of a user (eventShard with the bus's eventChannels). */
  eventShard(userId: string): string;
  onError(error: Error): void;
}

type Event = Extract<ChannelPayload, { kind: 'event' }>;

interface UserState {
  userId: string;
  /** The user's own channel (unsequenced messages) and the event channel its events come on. */
  channel: string;
  events: string;
  listeners: Set<BusListener>;
  /** The stream incarnation and the last offset delivered to this instance's listeners. */
  epoch: string | undefined;
  last: number;
  /** Settles once the subscription is live and caught up (position() waits for it). */
  ready: Promise<void>;
  markReady: () => void;
  isReady: boolean;
  /** Frames held while a fill or a catch-up for this user is running (delivered after it, in order). */
  backlog: ChannelPayload[] | null;
  /** Fills and catch-ups in progress for this user; live frames wait in the backlog while > 0. */
  holds: number;
}

const SUBSCRIBE_CHUNK = 500;

interface CatchUpPipeline {
  ssotCatchUpBuffer(userMeta: string, stream: string, epoch: string, last: number): CatchUpPipeline;
}

export class RedisSubscriber {
  private readonly users = new Map<string, UserState>();
  private readonly byChannel = new Map<string, UserState>();
  /** Event channels subscribed → how many of this instance's users they carry. */
  private readonly eventChannels = new Map<string, number>();
  /** The event being delivered (decodeEventBatch rewrites it per event). */
  private readonly view = new ChannelEvent();
  private closed = false;

  constructor(
    private readonly sub: Redis,
    private readonly cmd: Redis,
    private readonly options: SubscriberOptions,
  ) {
    sub.on('messageBuffer', (channel: Buffer, payload: Buffer) => this.onMessage(channel, payload));
    sub.on('ready', () => void this.onReady());
  }

  get userCount(): number {
    return this.users.size;
  }

  has(userId: string): boolean {
    return this.users.has(userId);
  }

  add(userId: string, listener: BusListener): () => void {
    let user = this.users.get(userId);
    if (!user) {
      const channel = this.options.keys.userChannel(userId);
      const events = this.options.keys.eventChannel(this.options.eventShard(userId));
      let markReady!: () => void;
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      user = { userId, channel, events, listeners: new Set(), epoch: undefined, last: 0, ready, markReady, isReady: false, backlog: null, holds: 0 };
      this.users.set(userId, user);
      this.byChannel.set(channel, user);
      this.eventChannels.set(events, (this.eventChannels.get(events) ?? 0) + 1);
      // While disconnected the channel is subscribed by onReady(), together with all others.
      if (this.sub.status === 'ready') void this.subscribeNew(user);
    }
    user.listeners.add(listener);
    const state = user;
    return () => {
      state.listeners.delete(listener);
      if (state.listeners.size > 0 || this.users.get(userId) !== state) return;
      this.users.delete(userId);
      this.byChannel.delete(state.channel);
      const gone = [state.channel];
      const left = (this.eventChannels.get(state.events) ?? 1) - 1;
      if (left > 0) this.eventChannels.set(state.events, left);
      else {
        this.eventChannels.delete(state.events);
        gone.push(state.events);
      }
      if (this.sub.status === 'ready') this.sub.unsubscribe(...gone).catch((e: unknown) => this.report(e));
    };
  }

  /**
   * Where the user's stream stands for this instance: every event after it will reach the
   * listeners. Waits (up to readyTimeoutMs) for the subscription to be live and caught up.
   */
  async position(userId: string): Promise<StreamPosition> {
    const user = this.users.get(userId);
    if (!user) throw new Error(`no subscription for user "${userId}"`);
    if (!user.isReady) await withTimeout(user.ready, this.options.readyTimeoutMs, 'the subscription is not live yet');
    return { epoch: user.epoch!, offset: user.last };
  }

  /** Position first, SUBSCRIBE, then what the stream got in between, before any live frame. */
  private async subscribeNew(user: UserState): Promise<void> {
    this.hold(user);
    try {
      await this.untilDone(async () => {
        if (this.users.get(user.userId) !== user) return; // unsubscribed meanwhile
        const start = await this.options.readPosition(user.userId);
        if (user.epoch === undefined) {
          user.epoch = start.epoch;
          user.last = start.offset;
        }
        await this.sub.subscribe(user.channel, user.events);
        if (this.users.get(user.userId) === user) await this.catchUp([user]);
        user.isReady = true;
        user.markReady();
      });
    } finally {
      this.release(user);
    }
  }

  /**
   * Runs `step` until it succeeds, with backoff, while the subscription connection is up (a later
   * 'ready' takes over otherwise). Live frames wait meanwhile: delivering them first would skip
   * the missed ones for good, since an instance never delivers an offset below one it delivered.
   */
  private async untilDone(step: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await step();
        return;
      } catch (err) {
        this.report(err);
      }
      if (this.sub.status !== 'ready') return;
      await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000)));
    }
  }

  close(): void {
    this.closed = true;
    this.users.clear();
    this.byChannel.clear();
    this.eventChannels.clear();
  }

  // ---- connection lifecycle -------------------------------------------------------------

  private async onReady(): Promise<void> {
    if (this.closed) return;
    const users = [...this.users.values()];
    // Live frames for these users wait until the missed ones are delivered.
    for (const u of users) this.hold(u);
    try {
      await this.untilDone(async () => {
        for (const u of users) {
          if (u.epoch === undefined) {
            const start = await this.options.readPosition(u.userId);
            u.epoch = start.epoch;
            u.last = start.offset;
          }
        }
        const channels = [...users.map((u) => u.channel), ...this.eventChannels.keys()];
        for (let i = 0; i < channels.length; i += SUBSCRIBE_CHUNK) {
          await this.sub.subscribe(...channels.slice(i, i + SUBSCRIBE_CHUNK));
        }
        await this.catchUp(users);
        for (const u of users) {
          u.isReady = true;
          u.markReady();
        }
      });
    } finally {
      for (const u of users) this.release(u);
    }
  }

  /** Reads each user's stream after the last offset delivered (atomically with its epoch) and delivers what was missed. */
  private async catchUp(users: UserState[]): Promise<void> {
    if (users.length === 0) return;
    await this.whenCmdReady();
    const { keys } = this.options;
    for (let i = 0; i < users.length; i += 100) {
      const batch = users.slice(i, i + 100);
      const reads = this.cmd.pipeline() as unknown as CatchUpPipeline;
      for (const u of batch) reads.ssotCatchUpBuffer(keys.userMeta(u.userId), keys.userStream(u.userId), u.epoch ?? '', u.last);
      const results = await execPipeline(reads as unknown as ReturnType<Redis['pipeline']>);
      batch.forEach((u, j) => {
        const [epochRaw, entries] = results[j] as [Buffer | null, unknown[]];
        if (epochRaw === null) return; // no stream yet: nothing was missed
        const epoch = String(epochRaw);
        if (epoch !== u.epoch) {
          // Another epoch: Redis lost the stream (a restart without persistence) — all of the new one is new.
          u.epoch = epoch;
          u.last = 0;
        }
        for (const raw of entries) this.offerEntry(u, raw);
      });
    }
  }

  // ---- frames ---------------------------------------------------------------------------

  private onMessage(channel: Buffer, payload: Buffer): void {
    const name = channel.toString();
    if (this.eventChannels.has(name)) {
      try {
        decodeEventBatch(payload, this.view, this.onEvent);
      } catch (err) {
        this.report(err);
      }
      return;
    }
    const user = this.byChannel.get(name);
    if (!user) return;
    let parsed: ChannelPayload;
    try {
      parsed = decodeMessagePayload(payload);
    } catch (err) {
      this.report(err);
      return;
    }
    if (user.backlog) user.backlog.push(parsed);
    else this.process(user, parsed);
  }

  /** One event of an event channel message: for a user held here, in order; others' are skipped. */
  private readonly onEvent = (event: ChannelEvent): void => {
    const user = this.users.get(event.userId);
    if (!user) return;
    if (user.backlog) user.backlog.push(event.detach());
    else this.process(user, event);
  };

  /** `p`: a live event (the view, valid during this call) or one kept in a backlog or read from the stream. */
  private process(user: UserState, p: ChannelPayload | ChannelEvent): void {
    if (p.kind === 'message') {
      const d: BusDelivery =
        p.threadId === undefined
          ? { kind: 'message', userId: user.userId, message: p.message }
          : { kind: 'message', userId: user.userId, threadId: p.threadId, message: p.message };
      this.deliver(user, d);
      return;
    }
    if (p.epoch !== user.epoch) {
      // The stream restarted (Redis lost it, or it expired): its offsets count from 1 again.
      user.epoch = p.epoch;
      user.last = 0;
    }
    if (p.offset > user.last + 1) {
      // Pub/sub lost frames (a reconnect): fill from the stream before delivering past them.
      (user.backlog ??= []).unshift(p instanceof ChannelEvent ? p.detach() : p);
      user.holds++;
      void this.fill(user, p.epoch, p.offset).finally(() => this.release(user));
      return;
    }
    this.offer(user, p);
  }

  private async fill(user: UserState, epoch: string, before: number): Promise<void> {
    try {
      await this.whenCmdReady();
      // An entry's id is its last offset (a pack holds several: redis-keys.ts parseStreamEntries), so
      // the entries holding last + 1 .. before - 1 start at last + 1 and are at most that many.
      const entries = (await this.cmd.xrangeBuffer(this.options.keys.userStream(user.userId), `${user.last + 1}-0`, '+', 'COUNT', before - 1 - user.last)) as unknown[];
      if (user.epoch === epoch) for (const raw of entries) this.offerEntry(user, raw, before);
    } catch (err) {
      this.report(err);
    }
    // Trimmed or unreadable: accept the jump (the client sees the hole and resumes) rather than stall.
    if (user.epoch === epoch && user.last < before - 1) user.last = before - 1;
  }

  /** Delivers a stream entry's frames (a pack has several) below `before`, if given. */
  private offerEntry(user: UserState, raw: unknown, before = Infinity): void {
    try {
      for (const e of parseStreamEntries(raw)) {
        if (e.offset < before) this.offer(user, { kind: 'event', offset: e.offset, seq: e.seq, epoch: user.epoch!, runId: e.runId, text: e.text });
      }
    } catch (err) {
      this.report(err);
    }
  }

  /** Delivers an event unless this instance already delivered its offset. */
  private offer(user: UserState, e: Event | ChannelEvent): void {
    if (e.offset <= user.last) return;
    user.last = e.offset;
    // A live event is its own delivery (its userId is this user's: looked up by it).
    this.deliver(user, e instanceof ChannelEvent ? e : { kind: 'event', userId: user.userId, runId: e.runId, seq: e.seq, offset: e.offset, epoch: e.epoch, text: e.text });
  }

  private deliver(user: UserState, delivery: BusDelivery): void {
    for (const listener of user.listeners) {
      try {
        listener(delivery);
      } catch (err) {
        this.report(err); // one listener's failure must not stop the others
      }
    }
  }

  private hold(user: UserState): void {
    user.backlog ??= [];
    user.holds++;
  }

  private release(user: UserState): void {
    user.holds = Math.max(0, user.holds - 1);
    while (user.holds === 0 && user.backlog && user.backlog.length > 0) this.process(user, user.backlog.shift()!);
    if (user.holds === 0 && user.backlog && user.backlog.length === 0) user.backlog = null;
  }

  // ---- helpers --------------------------------------------------------------------------

  private whenCmdReady(): Promise<void> {
    return whenReady(this.cmd, this.options.readyTimeoutMs);
  }

  private report(err: unknown): void {
    if (this.closed) return;
    this.options.onError(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * Resolves when the client is ready, rejects after timeoutMs. Waiters share one 'ready' listener
 * per client (many resumes during an outage must not pile up listeners).
 */
export function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'end') return Promise.reject(new Error('Redis connection ended'));
  let shared = readyWaits.get(client);
  if (!shared) {
    shared = new Promise<void>((resolve) => {
      client.once('ready', () => {
        readyWaits.delete(client);
        resolve();
      });
    });
    readyWaits.set(client, shared);
  }
  return withTimeout(shared, timeoutMs, `Redis not ready after ${timeoutMs} ms (status ${client.status})`);
}

const readyWaits = new WeakMap<Redis, Promise<void>>();

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function execPipeline(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
