/**
 * The Redis bus: several server instances share one user base.
 * - Delivery: one pub/sub channel per user; every instance holding a socket of the user subscribes.
 * - Storage: one Redis Stream per run (entry id `<seq>-0`), the per-run seq and the run's owner in
 *   a meta hash; one Lua script assigns the seq, appends and publishes atomically (redis-scripts.ts).
 * - Retention: streams are trimmed to `maxEventsPerRun` (MAXLEN ~ by default) and expire
 *   `endedTtlMs` after agent_completed (owner and last seq `endedMetaTtlMs` after it, so a late
 *   resume hears "gap" rather than "unknown"); a run that never completes expires `activeTtlMs`
 *   after its last event.
 * - Outage: both connections reconnect with exponential backoff; publishes wait in a bounded
 *   outbox (redis-queue.ts) and flush in order; the seq is assigned by Redis at flush time, so
 *   it stays gapless. A full outbox refuses new publishes with BusUnavailableError.
 * See canonical/bus/README.md for running several instances.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { CrossUserAccessError, InvalidContextError } from '../errors.js';
import { buildEnvelope } from '../events.js';
import type { CriticalEventType, EventEnvelope } from '../events.js';
import type { OutboundMessage } from '../protocol.js';
import { createMemoryBus } from './memory.js';
import type { MemoryBusOptions } from './memory.js';
import type { Bus, BusListener, PublishEventInput, ReplayResult } from './types.js';
import { BusUnavailableError } from './redis-errors.js';
import { decodeEventBody, encodeEventBody, encodeMessagePayload, parseStreamEntry, redisKeys } from './redis-keys.js';
import type { RedisKeys } from './redis-keys.js';
import { RedisOutbox, isTransientRedisError } from './redis-queue.js';
import { PUBLISH_EVENT_LUA, READ_RUN_LUA } from './redis-scripts.js';
import { RedisSubscriber, whenReady } from './redis-subscriber.js';

export interface RedisBusOptions {
  /** redis://[user:pass@]host:port[/db]; default process.env.REDIS_URL. */
  url?: string;
  /** Extra ioredis options (TLS, password, db…). The bus sets its own queueing/retry options over these. */
  redisOptions?: RedisOptions;
  /** Prefix of every key and channel; instances that share a user base must use the same one. Default 'ssot:'. */
  keyPrefix?: string;
  /** Events kept per run stream. Default 1000. */
  maxEventsPerRun?: number;
  /** Trim exactly (MAXLEN =) instead of approximately (MAXLEN ~, cheaper, may keep a few more). Default false. */
  exactTrim?: boolean;
  /** How long a run's events stay replayable after agent_completed. Default 5 min. */
  endedTtlMs?: number;
  /** How long a run's owner and last seq stay after agent_completed (replay → "gap", not "unknown"). Default 1 h. */
  endedMetaTtlMs?: number;
  /** A run without agent_completed expires this long after its last event. Default 24 h. */
  activeTtlMs?: number;
  /** Publishes waiting for Redis at most (count). Default 10 000. */
  maxBufferedPublishes?: number;
  /** Publishes waiting for Redis at most (payload bytes). Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Publish commands on the wire at once. Default 256. */
  maxInFlight?: number;
  /** Reconnect backoff: first delay and cap (ms), doubled per attempt with jitter. Default 50 / 2000. */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** How long replay() and a post-reconnect catch-up wait for Redis to be reachable. Default 5000 ms. */
  readyTimeoutMs?: number;
  /** How far back a reconnecting subscriber looks for a user's runs. Default 10 min. */
  recentRunsWindowMs?: number;
  /** Runs per user remembered for duplicate suppression on this instance. Default 1000. */
  maxTrackedRunsPerUser?: number;
  /** Runs this instance remembers as a publisher (seq hint, idempotency). Default 10 000. */
  maxTrackedRuns?: number;
  /** Non-fatal problems (connection errors, malformed frames). Default: ignored. */
  onError?: (error: Error) => void;
}

export interface RedisBusStats {
  connected: boolean;
  /** Publishes accepted but not yet acknowledged by Redis. */
  buffered: number;
  bufferedBytes: number;
  subscribedUsers: number;
  trackedRuns: number;
}

interface ProducerRun {
  /** Unique per (bus instance, run incarnation): the idempotency key space of this run's publishes. */
  producer: string;
  pseq: number;
  ackedPseq: number;
  ackedSeq: number;
  pending: number;
}

const RECENT_RUNS_MAX = 1000;

export class RedisBus implements Bus {
  readonly instanceId: string;
  readonly keys: RedisKeys;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly outbox: RedisOutbox;
  private readonly subscriber: RedisSubscriber;
  private readonly runs = new Map<string, ProducerRun>();
  private readonly cfg: Required<Omit<RedisBusOptions, 'url' | 'redisOptions' | 'onError' | 'keyPrefix'>>;
  private readonly onError: (error: Error) => void;
  private incarnations = 0;
  private closed = false;

  constructor(options: RedisBusOptions = {}) {
    const url = options.url ?? process.env.REDIS_URL;
    if (!url) throw new TypeError('RedisBus needs a Redis URL: pass { url } or set REDIS_URL');
    this.cfg = {
      maxEventsPerRun: positiveInt(options.maxEventsPerRun ?? 1000, 'maxEventsPerRun'),
      exactTrim: options.exactTrim ?? false,
      endedTtlMs: positiveInt(options.endedTtlMs ?? 5 * 60_000, 'endedTtlMs'),
      endedMetaTtlMs: positiveInt(options.endedMetaTtlMs ?? 60 * 60_000, 'endedMetaTtlMs'),
      activeTtlMs: positiveInt(options.activeTtlMs ?? 24 * 60 * 60_000, 'activeTtlMs'),
      maxBufferedPublishes: positiveInt(options.maxBufferedPublishes ?? 10_000, 'maxBufferedPublishes'),
      maxBufferedBytes: positiveInt(options.maxBufferedBytes ?? 16 * 1024 * 1024, 'maxBufferedBytes'),
      maxInFlight: positiveInt(options.maxInFlight ?? 256, 'maxInFlight'),
      reconnectBaseMs: positiveInt(options.reconnectBaseMs ?? 50, 'reconnectBaseMs'),
      reconnectMaxMs: positiveInt(options.reconnectMaxMs ?? 2000, 'reconnectMaxMs'),
      readyTimeoutMs: positiveInt(options.readyTimeoutMs ?? 5000, 'readyTimeoutMs'),
      recentRunsWindowMs: positiveInt(options.recentRunsWindowMs ?? 10 * 60_000, 'recentRunsWindowMs'),
      maxTrackedRunsPerUser: positiveInt(options.maxTrackedRunsPerUser ?? 1000, 'maxTrackedRunsPerUser'),
      maxTrackedRuns: positiveInt(options.maxTrackedRuns ?? 10_000, 'maxTrackedRuns'),
    };
    // The meta must outlive the stream, or a seq could restart under a still-stored stream.
    this.cfg.endedMetaTtlMs = Math.max(this.cfg.endedMetaTtlMs, this.cfg.endedTtlMs);
    this.onError = options.onError ?? (() => {});
    this.instanceId = randomUUID().slice(0, 8);
    this.keys = redisKeys(options.keyPrefix ?? 'ssot:');

    const { reconnectBaseMs, reconnectMaxMs } = this.cfg;
    const connection: RedisOptions = {
      ...options.redisOptions,
      // The outbox is the only queue: ioredis must fail fast rather than queue or resend on its own.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      autoResubscribe: false,
      lazyConnect: false,
      retryStrategy: (times: number) => {
        const exp = Math.min(reconnectBaseMs * 2 ** Math.min(times - 1, 20), reconnectMaxMs);
        return Math.round(exp / 2 + Math.random() * (exp / 2)); // jitter: instances do not reconnect in lockstep
      },
    };
    this.cmd = new Redis(url, { ...connection, connectionName: `ssot-bus-${this.instanceId}-cmd` });
    this.sub = new Redis(url, { ...connection, connectionName: `ssot-bus-${this.instanceId}-sub` });
    this.cmd.defineCommand('ssotPublishEvent', { numberOfKeys: 3, lua: PUBLISH_EVENT_LUA });
    this.cmd.defineCommand('ssotReadRun', { numberOfKeys: 2, lua: READ_RUN_LUA });
    const report = (e: Error) => {
      if (!this.closed) this.onError(e);
    };
    this.cmd.on('error', report);
    this.sub.on('error', report);

    this.outbox = new RedisOutbox(this.cmd, {
      maxBuffered: this.cfg.maxBufferedPublishes,
      maxBufferedBytes: this.cfg.maxBufferedBytes,
      maxInFlight: this.cfg.maxInFlight,
      retryBaseMs: 20,
      retryMaxMs: reconnectMaxMs,
    });
    this.cmd.on('ready', () => this.outbox.onReady());
    this.subscriber = new RedisSubscriber(this.sub, this.cmd, {
      keys: this.keys,
      maxTrackedRunsPerUser: this.cfg.maxTrackedRunsPerUser,
      catchUpSlackMs: 1000,
      readyTimeoutMs: this.cfg.readyTimeoutMs,
      onError: report,
    });
  }

  /** Resolves once both connections are ready (or rejects after readyTimeoutMs). */
  async ready(): Promise<void> {
    await Promise.all([whenReady(this.cmd, this.cfg.readyTimeoutMs), whenReady(this.sub, this.cfg.readyTimeoutMs)]);
  }

  async publishEvent<T extends CriticalEventType>(input: PublishEventInput<T>): Promise<EventEnvelope<T>> {
    this.assertOpen();
    const { userId, threadId, runId, type, data } = input;
    const ts = Date.now();
    // Encoded now: later changes to `data` by the caller cannot alter what is sent.
    const body = encodeEventBody({ type, runId, threadId, userId, ts, data });
    const run = this.producerRun(runId);
    const pseq = ++run.pseq;
    run.pending++;
    const ended = type === 'agent_completed';
    const k = this.keys;
    const c = this.cfg;
    const send = () =>
      // Read at send time: a resend after a reconnect carries what was acknowledged meanwhile.
      (this.cmd as unknown as ScriptCommands).ssotPublishEvent(
        k.runMeta(runId), k.runEvents(runId), k.userRuns(userId),
        userId, threadId, runId, run.producer, pseq, run.ackedPseq, run.ackedSeq, body, k.userChannel(userId),
        c.maxEventsPerRun, c.exactTrim ? '=' : '~', c.activeTtlMs, ended ? '1' : '0', c.endedTtlMs, c.endedMetaTtlMs,
        c.recentRunsWindowMs, RECENT_RUNS_MAX,
      );
    let seq: number;
    try {
      const reply = (await this.outbox.enqueue(body.length, send, run.producer)) as [number, number];
      seq = Number(reply[0]);
    } catch (err) {
      run.pending--;
      const mapped = mapScriptError(err, input);
      // A refused run starts a new producer incarnation, so later publishes do not wait on this one.
      if (!(mapped instanceof BusUnavailableError) && this.runs.get(runId) === run) this.runs.delete(runId);
      throw mapped;
    }
    run.pending--;
    run.ackedPseq = Math.max(run.ackedPseq, pseq);
    run.ackedSeq = Math.max(run.ackedSeq, seq);
    if (ended && run.pending === 0 && this.runs.get(runId) === run) this.runs.delete(runId);
    return buildEnvelope({ type, runId, threadId, userId, seq, ts }, data) as EventEnvelope<T>;
  }

  /** Resolves to the number of instances subscribed to the user when Redis published it. */
  async publishToUser(userId: string, message: OutboundMessage, options: { threadId?: string } = {}): Promise<number> {
    this.assertOpen();
    const payload = encodeMessagePayload(message, options.threadId);
    const channel = this.keys.userChannel(userId);
    return this.outbox.enqueue(payload.length, () => this.cmd.publish(channel, payload));
  }

  async replay(userId: string, runId: string, afterSeq: number): Promise<ReplayResult> {
    this.assertOpen();
    if (!Number.isInteger(afterSeq) || afterSeq < 0) throw new RangeError(`afterSeq must be an integer >= 0 (got ${afterSeq})`);
    let reply: unknown[];
    try {
      await whenReady(this.cmd, this.cfg.readyTimeoutMs);
      reply = (await (this.cmd as unknown as ScriptCommands).ssotReadRun(this.keys.runMeta(runId), this.keys.runEvents(runId), `${afterSeq + 1}-0`)) as unknown[];
    } catch (err) {
      if (err instanceof Error && !isTransientRedisError(err)) throw err;
      throw new BusUnavailableError('unreachable', `replay of run "${runId}" needs Redis, which is not reachable`, { cause: err });
    }
    const [owner, , lastSeqRaw, entries] = reply as [string | null, string | null, string | null, unknown[]];
    if (!owner || owner !== userId) return { status: 'unknown' };
    const lastSeq = Number(lastSeqRaw ?? 0);
    const events: EventEnvelope[] = [];
    for (const raw of entries ?? []) {
      const entry = parseStreamEntry(raw);
      const envelope = decodeEventBody(entry.body, entry.seq);
      if (envelope.userId === userId && envelope.runId === runId) events.push(envelope);
    }
    const wanted = afterSeq + 1;
    if (wanted > lastSeq) return { status: 'ok', events: [], lastSeq };
    const first = events[0];
    if (first && first.seq <= wanted) return { status: 'ok', events, lastSeq };
    return { status: 'gap', events, lastSeq, fromSeq: wanted, availableFrom: first ? first.seq : null };
  }

  subscribe(userId: string, listener: BusListener): () => void {
    return this.subscriber.add(userId, listener);
  }

  stats(): RedisBusStats {
    return {
      connected: this.cmd.status === 'ready' && this.sub.status === 'ready',
      buffered: this.outbox.size,
      bufferedBytes: this.outbox.bufferedBytes,
      subscribedUsers: this.subscriber.userCount,
      trackedRuns: this.runs.size,
    };
  }

  /**
   * Waits up to `drainTimeoutMs` (default 2000) for buffered publishes to reach Redis, then rejects
   * what is left with BusUnavailableError('closed') and closes both connections.
   */
  async close(options: { drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    if (this.cmd.status === 'ready' && this.outbox.size > 0) {
      // Waiting only makes sense while connected: a lost connection ends the wait at once.
      let onClose: () => void = () => {};
      const lost = new Promise<void>((resolve) => this.cmd.once('close', (onClose = resolve)));
      await Promise.race([this.outbox.drained(options.drainTimeoutMs ?? 2000), lost]);
      this.cmd.off('close', onClose);
    }
    this.closed = true;
    this.outbox.close();
    this.subscriber.close();
    await Promise.all([quit(this.cmd), quit(this.sub)]);
  }

  private producerRun(runId: string): ProducerRun {
    let run = this.runs.get(runId);
    if (run) {
      this.runs.delete(runId); // re-insert: Map order is the LRU order
    } else {
      run = { producer: `${this.instanceId}.${++this.incarnations}`, pseq: 0, ackedPseq: 0, ackedSeq: 0, pending: 0 };
    }
    this.runs.set(runId, run);
    if (this.runs.size > this.cfg.maxTrackedRuns) {
      for (const [id, r] of this.runs) {
        if (this.runs.size <= this.cfg.maxTrackedRuns) break;
        if (r.pending === 0) this.runs.delete(id); // never forget a run with publishes in flight
      }
    }
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new BusUnavailableError('closed', 'the Redis bus is closed');
  }
}

interface ScriptCommands {
  ssotPublishEvent(...args: (string | number)[]): Promise<unknown>;
  ssotReadRun(...args: (string | number)[]): Promise<unknown>;
}

function mapScriptError(err: unknown, input: PublishEventInput): unknown {
  if (!(err instanceof Error) || err.name !== 'ReplyError') return err;
  const owner = /^SSOT_OWNER (.*)$/.exec(err.message);
  if (owner) return new CrossUserAccessError(input.userId, owner[1] ?? '?', `emit into run "${input.runId}" owned by`);
  const thread = /^SSOT_THREAD (.*)$/.exec(err.message);
  if (thread) return new InvalidContextError('threadId', `run "${input.runId}" belongs to thread "${thread[1]}", not "${input.threadId}"`);
  return err;
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // fall through to a hard disconnect
    }
  }
  client.disconnect();
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer (got ${value})`);
  return value;
}

export function createRedisBus(options?: RedisBusOptions): RedisBus {
  return new RedisBus(options);
}

/**
 * The bus the environment asks for: a RedisBus when REDIS_URL is set (several instances share
 * users), else the in-memory bus (one process, the embedded default).
 */
export function createBusFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { redis?: Omit<RedisBusOptions, 'url'>; memory?: MemoryBusOptions } = {},
): Bus {
  const url = env.REDIS_URL?.trim();
  return url ? new RedisBus({ ...options.redis, url }) : createMemoryBus(options.memory);
}

export { BusUnavailableError } from './redis-errors.js';
export type { BusUnavailableReason } from './redis-errors.js';
