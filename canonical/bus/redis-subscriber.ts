/**
 * Delivery side of the Redis bus: one pub/sub connection per instance, one channel per user
 * that has a socket here. Guarantees to the hub, per user and run: events in seq order, never
 * the same seq twice, and nothing lost across a Redis disconnect:
 * - a seq jump on a run this instance already delivers is filled from the run's stream first;
 * - after the subscriber reconnects, every run of a subscribed user that had events since the
 *   disconnect (the user's recent-runs set) is read from its stream and the missed events are
 *   delivered before any live frame that arrived meanwhile.
 * Unsequenced messages (publishToUser) are at most once: pub/sub does not keep them.
 */
import type { Redis } from 'ioredis';
import type { EventEnvelope } from '../events.js';
import type { BusDelivery, BusListener } from './types.js';
import { decodeChannelPayload, decodeEventBody, parseStreamEntry } from './redis-keys.js';
import type { ChannelPayload, RedisKeys } from './redis-keys.js';

export interface SubscriberOptions {
  keys: RedisKeys;
  /** Runs per user whose last delivered seq is remembered for duplicate suppression (LRU). */
  maxTrackedRunsPerUser: number;
  /** Margin on Redis-clock comparisons (clock estimate, in-flight frames at the disconnect). */
  catchUpSlackMs: number;
  /** How long a catch-up waits for the command connection to be ready. */
  readyTimeoutMs: number;
  onError(error: Error): void;
}

type Parsed = { kind: 'event'; envelope: EventEnvelope } | Extract<ChannelPayload, { kind: 'message' }>;

interface UserState {
  userId: string;
  channel: string;
  listeners: Set<BusListener>;
  /** runId → last seq delivered to this instance's listeners. */
  runs: Map<string, number>;
  /** Redis-clock ms: a catch-up may deliver runs this instance never saw only from here on. */
  since: number;
  /** Frames held while a fill or a catch-up for this user is running (delivered after it, in order). */
  backlog: Parsed[] | null;
  /** Fills and catch-ups in progress for this user; live frames wait in the backlog while > 0. */
  holds: number;
}

const SUBSCRIBE_CHUNK = 500;
/** Margin on "since this user subscribed" (clock-offset estimate error is about half an RTT). */
const SINCE_SLACK_MS = 250;

export class RedisSubscriber {
  private readonly users = new Map<string, UserState>();
  private readonly byChannel = new Map<string, UserState>();
  /** Redis TIME minus local time, so local estimates compare with the stream's append times. */
  private clockOffset = 0;
  /** Redis-clock estimate of when the subscription connection was lost (null while healthy). */
  private disconnectedAt: number | null = null;
  private everReady = false;
  private closed = false;

  constructor(
    private readonly sub: Redis,
    private readonly cmd: Redis,
    private readonly options: SubscriberOptions,
  ) {
    sub.on('message', (channel: string, payload: string) => this.onMessage(channel, payload));
    sub.on('close', () => {
      if (this.everReady && this.disconnectedAt === null) this.disconnectedAt = this.redisNow();
    });
    sub.on('ready', () => void this.onReady());
  }

  get userCount(): number {
    return this.users.size;
  }

  add(userId: string, listener: BusListener): () => void {
    let user = this.users.get(userId);
    if (!user) {
      const channel = this.options.keys.userChannel(userId);
      user = {
        userId,
        channel,
        listeners: new Set(),
        runs: new Map(),
        since: this.redisNow() - SINCE_SLACK_MS,
        backlog: null,
        holds: 0,
      };
      this.users.set(userId, user);
      this.byChannel.set(channel, user);
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
      if (this.sub.status === 'ready') this.sub.unsubscribe(state.channel).catch((e: unknown) => this.report(e));
    };
  }

  /**
   * Subscribes one new user, then delivers what its runs got between `since` and the moment the
   * SUBSCRIBE took effect (pub/sub keeps nothing), before any live frame that arrived meanwhile.
   */
  private async subscribeNew(user: UserState): Promise<void> {
    this.hold(user);
    try {
      await this.sub.subscribe(user.channel);
      if (this.users.get(user.userId) === user) await this.catchUp([user], null);
    } catch (err) {
      this.report(err);
    } finally {
      this.release(user);
    }
  }

  close(): void {
    this.closed = true;
    this.users.clear();
    this.byChannel.clear();
  }

  // ---- connection lifecycle -------------------------------------------------------------

  private async onReady(): Promise<void> {
    if (this.closed) return;
    const reconnect = this.everReady;
    this.everReady = true;
    const cutoff = this.disconnectedAt;
    const users = [...this.users.values()];
    // Live frames for these users wait until the missed ones are delivered.
    for (const u of users) this.hold(u);
    try {
      await this.syncClock();
      const channels = users.map((u) => u.channel);
      for (let i = 0; i < channels.length; i += SUBSCRIBE_CHUNK) {
        await this.sub.subscribe(...channels.slice(i, i + SUBSCRIBE_CHUNK));
      }
      // First connect: users added while connecting get their since-subscribe catch-up here.
      await this.catchUp(users, reconnect && cutoff !== null ? cutoff - this.options.catchUpSlackMs : null);
      this.disconnectedAt = null;
    } catch (err) {
      // Left set: the next 'ready' catches up from the same cutoff.
      this.report(err);
    } finally {
      for (const u of users) this.release(u);
    }
  }

  private async syncClock(): Promise<void> {
    try {
      await this.whenCmdReady();
      const before = Date.now();
      const [s, us] = (await this.cmd.time()) as [string | number, string | number];
      const redisMs = Number(s) * 1000 + Math.floor(Number(us) / 1000);
      this.clockOffset = redisMs - Math.round((before + Date.now()) / 2);
    } catch {
      // keep the previous estimate; the slack covers small errors
    }
  }

  /**
   * Reads every run a user had events in since max(cutoff, user.since) and delivers what this
   * instance missed: runs it delivers from their last seq on, runs it never saw from that time on.
   */
  private async catchUp(users: UserState[], cutoff: number | null): Promise<void> {
    if (users.length === 0) return;
    await this.whenCmdReady();
    const { keys } = this.options;
    const floorOf = (u: UserState) => Math.max(cutoff ?? -Infinity, u.since);
    for (let i = 0; i < users.length; i += 100) {
      const batch = users.slice(i, i + 100);
      const listing = this.cmd.pipeline();
      for (const u of batch) listing.zrangebyscore(keys.userRuns(u.userId), floorOf(u), '+inf');
      const runLists = await execPipeline(listing);
      const reads = this.cmd.pipeline();
      const wanted: { user: UserState; runId: string; known: boolean }[] = [];
      batch.forEach((user, j) => {
        for (const runId of (runLists[j] as string[] | undefined) ?? []) {
          const last = user.runs.get(runId);
          wanted.push({ user, runId, known: last !== undefined });
          reads.xrange(keys.runEvents(runId), `${(last ?? 0) + 1}-0`, '+');
        }
      });
      if (wanted.length === 0) continue;
      const results = await execPipeline(reads);
      wanted.forEach(({ user, runId, known }, j) => {
        const floor = floorOf(user);
        for (const raw of (results[j] as unknown[] | undefined) ?? []) {
          try {
            const entry = parseStreamEntry(raw);
            // A run first seen now may have started before this user subscribed here: only its recent part is "missed".
            if (!known && entry.appendedAt < floor) continue;
            const envelope = decodeEventBody(entry.body, entry.seq);
            if (envelope.runId === runId) this.offer(user, envelope);
          } catch (err) {
            this.report(err);
          }
        }
      });
    }
  }

  // ---- frames ---------------------------------------------------------------------------

  private onMessage(channel: string, payload: string): void {
    const user = this.byChannel.get(channel);
    if (!user) return;
    let parsed: Parsed;
    try {
      const p = decodeChannelPayload(payload);
      parsed = p.kind === 'event' ? { kind: 'event', envelope: decodeEventBody(p.body, p.seq) } : p;
    } catch (err) {
      this.report(err);
      return;
    }
    if (user.backlog) user.backlog.push(parsed);
    else this.process(user, parsed);
  }

  private process(user: UserState, p: Parsed): void {
    if (p.kind === 'message') {
      const d: BusDelivery =
        p.threadId === undefined
          ? { kind: 'message', userId: user.userId, message: p.message }
          : { kind: 'message', userId: user.userId, threadId: p.threadId, message: p.message };
      this.deliver(user, d);
      return;
    }
    const { envelope } = p;
    const last = user.runs.get(envelope.runId);
    if (last !== undefined && envelope.seq > last + 1) {
      // Pub/sub lost frames of a run we deliver (a reconnect): fill from the stream first.
      (user.backlog ??= []).unshift(p);
      user.holds++;
      void this.fill(user, envelope.runId, last, envelope.seq).finally(() => this.release(user));
      return;
    }
    this.offer(user, envelope);
  }

  private async fill(user: UserState, runId: string, after: number, before: number): Promise<void> {
    try {
      const entries = (await this.cmd.xrange(this.options.keys.runEvents(runId), `${after + 1}-0`, `${before - 1}-0`)) as unknown[];
      for (const raw of entries) {
        const entry = parseStreamEntry(raw);
        this.offer(user, decodeEventBody(entry.body, entry.seq));
      }
    } catch (err) {
      this.report(err);
    }
    // Trimmed or unreadable: accept the jump (the client sees it and resyncs) rather than stall the run.
    if ((user.runs.get(runId) ?? 0) < before - 1) this.remember(user, runId, before - 1);
  }

  /** Delivers an event unless this instance already delivered its seq. */
  private offer(user: UserState, envelope: EventEnvelope): void {
    if (envelope.userId !== user.userId) {
      this.report(new Error(`dropped an event of user "${envelope.userId}" on the channel of "${user.userId}"`));
      return;
    }
    const last = user.runs.get(envelope.runId);
    if (last !== undefined && envelope.seq <= last) return;
    this.remember(user, envelope.runId, envelope.seq);
    this.deliver(user, { kind: 'event', userId: user.userId, envelope });
  }

  private remember(user: UserState, runId: string, seq: number): void {
    user.runs.delete(runId); // re-insert: Map order is the LRU order
    user.runs.set(runId, seq);
    if (user.runs.size > this.options.maxTrackedRunsPerUser) {
      const oldest = user.runs.keys().next().value;
      if (oldest !== undefined) user.runs.delete(oldest);
    }
  }

  private deliver(user: UserState, delivery: BusDelivery): void {
    for (const listener of [...user.listeners]) {
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

  private redisNow(): number {
    return Date.now() + this.clockOffset;
  }

  private whenCmdReady(): Promise<void> {
    return whenReady(this.cmd, this.options.readyTimeoutMs);
  }

  private report(err: unknown): void {
    if (this.closed) return;
    this.options.onError(err instanceof Error ? err : new Error(String(err)));
  }
}

/** Resolves when the client is ready, rejects after timeoutMs. */
export function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'end') return Promise.reject(new Error('Redis connection ended'));
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    client.once('ready', onReady);
  });
}

async function execPipeline(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
