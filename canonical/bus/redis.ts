/**
 * The Redis bus: several server instances share one user base.
 * - Delivery: events on event channels (eventChannels shared ones by a hash of the user id, or one
 *   per user), one message per append call and channel; unsequenced messages on the user's own
 *   channel. An instance subscribes to the channels of the users it holds sockets of.
 * - Storage: one Redis Stream per user (entry id `<offset>-0`; a pack of one user's light items of a
 *   call is one entry, its id the last offset): the per-user offset every event
 *   carries is the stream's id, so any instance resumes a client from one (epoch, offset) pair.
 *   The epoch lives in the user's meta hash (a stream Redis lost comes back with a new one), and
 *   so does each run's record (its last seq and its last producer's answer); each run's owner and
 *   thread live in its meta hash. One Lua script checks the owner, assigns
 *   the seq and the offset, appends, trims and publishes atomically (redis-scripts.ts) — or, for an
 *   instance that appended the user's events last (its write lease: UserLease), checks the seq and
 *   offset the instance assigned itself and appends the frame it built (a light item).
 * - Retention: per user, entries beyond `maxBytesPerUser` or older than `maxAgeMs` are trimmed
 *   at each append; in total, beyond `maxBytes` the least recently active users' streams are
 *   dropped whole. A run's meta outlives its events (`metaTtlMs` after agent_completed,
 *   `activeTtlMs` while open), so a late resume hears "gap" rather than "unknown".
 * - Reads: every read is of the requesting user's own keys; a per-run read checks the run's
 *   owner before reading anything, so another user's run answers exactly like an unknown one.
 * - Outage: both connections reconnect with exponential backoff; publishes wait in a bounded
 *   outbox (redis-queue.ts) and flush in order; seq and offset are assigned (or checked) by Redis at
 *   flush time, so they stay gapless. A full outbox refuses new publishes with BusUnavailableError.
 * See canonical/bus/README.md for running several instances.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { CrossUserAccessError, InvalidContextError } from '../errors.js';
import { buildEnvelope, dataJsonOf, runIdsJson, serialiseEventData } from '../events.js';
import type { CriticalEventType, EventEnvelope } from '../events.js';
import type { OutboundMessage } from '../protocol.js';
import { FRAME_OVERHEAD_BYTES, MAX_LOST_RUNS_REPORTED } from '../replay.js';
import { Fifo } from '../fifo.js';
import { createMemoryBus } from './memory.js';
import type { MemoryBusOptions } from './memory.js';
import type { Bus, BusListener, LostRun, PublishEventInput, ReplayResult, StoredFrame, StreamPosition, UserReplay } from './types.js';
import { BusUnavailableError } from './redis-errors.js';
import { dataTail, encodeMessagePayload, eventShard, parseStreamEntries, redisKeys } from './redis-keys.js';
import type { RedisKeys } from './redis-keys.js';
import { RedisOutbox, isTransientRedisError } from './redis-queue.js';
import type { ItemResult } from './redis-queue.js';
import { APPEND_BATCH_LUA, CATCH_UP_LUA, POSITION_LUA, READ_RUN_LUA, READ_USER_LUA } from './redis-scripts.js';
import { RedisSubscriber, whenReady } from './redis-subscriber.js';
import { decodeWithRedisClient } from './redis-decoder.js';
import { CommandsAhead, ScriptArgs, ScriptCall, bulk, bulkHeader, byteLength, commandQueueOf, isNoScriptError } from './redis-script-call.js';

export interface RedisBusOptions {
  /** redis://[user:pass@]host:port[/db]; default process.env.REDIS_URL. */
  url?: string;
  /** Extra ioredis options (TLS, password, db…). The bus sets its own queueing/retry options over these. */
  redisOptions?: RedisOptions;
  /** Prefix of every key and channel; instances that share a user base must use the same one. Default 'ssot:'. */
  keyPrefix?: string;
  /** Bytes of stored events per user (frame JSON + 64 bytes of bookkeeping each); the oldest go first. Default 4 MiB. */
  maxBytesPerUser?: number;
  /** Events older than this are trimmed (and a user's stream expires this long after its last event). Default 5 min. */
  maxAgeMs?: number;
  /** Bytes stored for all users; beyond it the least recently active users' streams are dropped whole. Default 256 MiB. */
  maxBytes?: number;
  /** How long a user's stream position and a completed run's owner and seq outlive their last event. Default 1 h. */
  metaTtlMs?: number;
  /** A run that never completes keeps its owner and seq this long after its last event. Default 24 h. */
  activeTtlMs?: number;
  /** Publishes waiting for Redis at most (count). Default 10 000. */
  maxBufferedPublishes?: number;
  /** Publishes waiting for Redis at most (payload bytes). Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Publishes on the wire at once (over all batches in flight). Default 1024. */
  maxInFlight?: number;
  /** Publishes sent to Redis in one script call at most (those started in the same tick share one). Default 256. */
  maxBatch?: number;
  /**
   * A tick's publishes sent while no call is in flight go as two script calls (halves) when they are
   * at least this many, so Redis appends the second half while this instance handles the first
   * half's answers (README "Two calls in flight"). 0: always one call per tick (up to maxBatch). Default 64.
   */
  splitBatchFrom?: number;
  /**
   * Pub/sub channels events are published on: each user's events go on one of this many shared
   * channels (a hash of the user id), one message per script call and channel, so an instance
   * receives every event of a shard it holds a user of. 0: one channel per user (Redis routes each
   * event only to the instances holding its user, at one message per user and call). Every instance
   * must use the same value. Default 16.
   */
  eventChannels?: number;
  /** Reconnect backoff: first delay and cap (ms), doubled per attempt with jitter. Default 50 / 2000. */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** How long a read (replay, position) and a post-reconnect catch-up wait for Redis to be reachable. Default 5000 ms. */
  readyTimeoutMs?: number;
  /** Runs this instance remembers as a publisher (seq hint, idempotency). Default 10 000. */
  maxTrackedRuns?: number;
  /** Non-fatal problems (connection errors, malformed frames). Default: ignored. */
  onError?: (error: Error) => void;
  /**
   * How lean items (a leased user's event with nothing else of the user in flight: see README "Lean
   * appends") reach the stream. 'script' (default): in the append script, which checks the user's
   * last writer first. 'pipelined' (opt-in): a plain `XADD ... NOMKSTREAM <offset>-0` and one
   * `PUBLISH` per event channel, sent in the same write ahead of the script call — no Lua per event;
   * fenced by XADD's explicit id and NOMKSTREAM alone, so it needs a Redis that never loses keys
   * while instances stay connected (`maxmemory-policy noeviction`, no FLUSHALL/FLUSHDB or DEL of the
   * bus's keys): see README "Pipelined lean appends".
   */
  leanAppends?: 'script' | 'pipelined';
}

export interface RedisBusStats {
  connected: boolean;
  /** Publishes accepted but not yet acknowledged by Redis. */
  buffered: number;
  bufferedBytes: number;
  subscribedUsers: number;
  trackedRuns: number;
  /** Publish batches sent to Redis so far (one script call each; resends included). */
  batches: number;
  /** Events sent as light items (seq and offset assigned here, under the user's write lease). */
  lightItems: number;
  /** Items refused because the lease was lost (another instance wrote the user, or an earlier item failed), resent. */
  leaseRefusals: number;
  /** Light items sent in a pack with others of their user (one stream entry for the user's light items of a call). */
  packedItems: number;
}

interface ProducerRun {
  /** Unique per (bus instance, run incarnation): the idempotency key space of this run's publishes. */
  producer: string;
  pseq: number;
  ackedPseq: number;
  ackedSeq: number;
  pending: number;
  /** The emitting context: a publish for the same run id from another user or thread gets a producer of its own. */
  userId: string;
  threadId: string;
  /** `,"runId":…,"threadId":…,"userId":…` (computed once per run). */
  idsJson: string;
  /** The user's event shard (eventShard, computed once per run). */
  shard: string;
  /** `<userId bytes>|<runId bytes>|` and `|<userId><runId>`: parts of a light item's channel message header (computed once per run). */
  idLengths: string;
  idsTail: string;
  /** `:0:<producer>:<threadId>`: the end of a light item's record (computed once per run). */
  recordTail: string;
  /** The user's meta and stream keys (a lean item names them: computed once per run), and their UTF-8 bytes beyond their chars. */
  metaKey: string;
  streamKey: string;
  keyExtra: number;
  /** A lean item's constant arguments RESP-encoded (ScriptArgs.pushEncoded): metaKey, streamKey, runId ('k', 'n'); 'l', metaKey, streamKey (compactHead); and shard. */
  leanHead: string;
  compactHead: string;
  shardArg: string;
  /** leanAppends 'pipelined': `XADD <streamKey> NOMKSTREAM` RESP-encoded (its arguments, not the count): '' otherwise. */
  xaddHead: string;
  /** UTF-8 bytes of idsJson beyond its length in chars. */
  idsExtraBytes: number;
  /**
   * UTF-8 bytes beyond the chars of userId, runId, threadId and shard: a light item's arguments are
   * encoded with their byte lengths known (ScriptArgs), none scanned again.
   */
  userExtra: number;
  runExtra: number;
  threadExtra: number;
  shardExtra: number;
  /**
   * The run's record as its last acknowledged light item wrote it, as its seq, offset and pseq
   * (lightRecordOf: the string is made only when an item sends it); seq 0 after a full item (whose
   * record holds Redis's time): the next light item is checked against exactly that (APPEND_BATCH_LUA).
   */
  lightSeq: number;
  lightOff: number;
  lightPseq: string;
  /** Its last acknowledged event while unconfirmed (RedisBus.unconfirmed). */
  unconfirmed?: Unconfirmed;
  /**
   * Until when (local ms) this run's events may go as light items: set by a full item of the run
   * applied (which checked its owner and refreshed its meta's TTL when due), half a TTL refresh
   * interval ahead, so the run's meta is still refreshed in time.
   */
  lightUntil: number;
  /**
   * The run id this producer is tracked under (RedisBus.runs), and its neighbours in the recency list
   * (RedisBus.track): older toward the least recently used. `tracked` while it is in both.
   */
  runId: string;
  older: ProducerRun | undefined;
  newer: ProducerRun | undefined;
  tracked: boolean;
}

/**
 * What this instance knows of a user's stream from its own writes (the "write lease"): while it is
 * the user's last writer (`w` in the user's meta), the stream's epoch and offset are exactly what
 * its own appends made them, so it can assign the next offset itself. Every item of the user it sends
 * while it knows them is conditional on them (APPEND_BATCH_LUA: a light or a conditional item): an
 * append by any other instance makes it the last writer and fences this one's next item
 * (SSOT_LEASE, resent as a full item), and so does a failed earlier item of its own (the predicted
 * offset no longer matches), so nothing applies out of order behind a refused item.
 */
interface UserLease {
  /** The epoch and the offset after the last item sent (predicted as applied). */
  known: boolean;
  epoch: string;
  /** UTF-8 bytes of epoch beyond its chars (0: this bus's epochs are [a-z0-9]; counted, not assumed, as it comes from Redis). */
  epochExtra: number;
  off: number;
  /** An item of this user sent under the lease was refused or its call failed: forget it once none is in flight. */
  stale: boolean;
  /** Items of this user sent and not yet answered. */
  inflight: number;
  /**
   * Until when (local ms) the lease is not taken again after it was lost to another instance: while
   * two instances append to one user at once, each would fence the other's next item (a refusal and
   * a resend per switch); for this long this instance sends unconditional items instead.
   */
  coolUntil: number;
  /** The first light item of this user's open pack in the call being built (sendBatch), valid while packEra is the call's current era. */
  pack: LightPart | undefined;
  packEra: number;
  /**
   * Until when (local ms) this user's light items may go lean (APPEND_BATCH_LUA lean(): no meta read
   * or written), and the bytes they appended since the user's last item through the general path,
   * which reads their position, size and records back from the stream and checks the user's bounds
   * and TTLs: set half a TTL refresh interval after such an item was sent, and lean items stop at
   * the lean budget (min(maxBytesPerUser / 8, maxBytes / 64) bytes: RedisBus.leanBudget).
   */
  leanUntil: number;
  leanBytes: number;
  /**
   * The user's checkpoint (its meta's offset) as of its last item through the general path answered
   * (-1: unknown), and the run of its lean items since (undefined: none yet; null: several runs): a
   * lean entry of a single run since a known checkpoint says so in its 'c' field, which
   * spares the next checkpoint reading the entries back (APPEND_BATCH_LUA recover()).
   */
  cpOff: number;
  leanRun: string | null | undefined;
  /** The call (sendBatch's number) that counted callInflight, and the user's items in flight before it. */
  callNo: number;
  callInflight: number;
  /** An item of the user went through the general path earlier in that call: no lean item after it (APPEND_BATCH_LUA lean()). */
  callGeneral: boolean;
}

/** How long a user's lease lost to another instance's append is not taken again (UserLease.coolUntil). */
const LEASE_COOLDOWN_MS = 1000;

/** An event's answer as numbers: a light item's, assigned by this instance (no answer line made and parsed). */
interface Ack {
  seq: number;
  offset: number;
  epoch: string;
}

/** How an item of a batch was sent, for its answer. */
interface SentAs {
  lease: UserLease;
  cond: boolean;
  /** A light item's answer, assigned by this instance: its value once the script accepted it (`+`). */
  light: Ack | undefined;
  /** A full item's or replay's kind argument (`e`, `E`, `r`, or conditional: `<kind><offset>:<epoch>`). */
  kind: string;
  /** Sent through the general path (a full item, or a light one marked 'L'/'P'): its answer renews the user's lean window. */
  general: boolean;
  /** A new run's first event sent lean ('n'): once applied, the run's meta is claimed and its TTL set (ProducerRun.lightUntil). */
  first: boolean;
  /** Local ms when its call was built. */
  at: number;
}

/** A light item as sendBatch built it: its seq, offset, frame, record and channel message header. */
interface LightPart {
  x: number;
  it: EventItem;
  /** Offset and seq as strings; the user's offset before it. */
  o: string;
  s: string;
  prev: number;
  json: string;
  jsonBytes: number;
  header: string;
  headerBytes: number;
  /** The user's further light items of the call, packed with this one (sendBatch). */
  more?: LightPart[];
  /** Sent lean ('l'/'p') rather than through the general path ('L'/'P'): see UserLease.leanUntil. */
  lean: boolean;
  /** A lean item's 'c' field (`<checkpoint>:<lean bytes since>`: UserLease.cpOff), if its user's lean items since are all of its run. */
  cp?: string;
  /** A new run's first event, sent lean ('n': APPEND_BATCH_LUA first()). */
  first: boolean;
}

export class RedisBus implements Bus {
  readonly instanceId: string;
  /** This instance as a user's last writer (`w` in the user's meta): unique, unlike the short instanceId. */
  private readonly writerId = randomUUID();
  readonly keys: RedisKeys;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly outbox: RedisOutbox<OutboxItem>;
  private readonly appendScript = new ScriptCall(APPEND_BATCH_LUA);
  private readonly subscriber: RedisSubscriber;
  private readonly runs = new Map<string, ProducerRun>();
  /** The tracked producers' recency list (track()): least and most recently used. */
  private lruOldest: ProducerRun | undefined;
  private lruNewest: ProducerRun | undefined;
  private readonly leases = new Map<string, UserLease>();
  private readonly cfg: Required<Omit<RedisBusOptions, 'url' | 'redisOptions' | 'onError' | 'keyPrefix' | 'eventChannels' | 'leanAppends'>>;
  private readonly eventChannels: number;
  /** leanAppends 'pipelined': lean items go as plain XADD + PUBLISH ahead of the script call. */
  private readonly pipelinedLean: boolean;
  private readonly onError: (error: Error) => void;
  private readonly ttlRefreshMs: number;
  /** Bytes of a user's lean items between two of its items through the general path at most (UserLease.leanUntil). */
  private readonly leanBudget: number;
  private incarnations = 0;
  private batches = 0;
  private lightItems = 0;
  private leaseRefusals = 0;
  private packedItems = 0;
  /** sendBatch calls built so far (UserLease.callNo). */
  private callsBuilt = 0;
  /** Numbers sendBatch's pack eras (UserLease.packEra): unique per call and message. */
  private packEras = 0;
  /** Calls sent to Redis (batches and confirming PINGs), numbered in send order. */
  private sends = 0;
  /** The highest call number Redis answered: every reply received before that call was sent is "confirmed". */
  private confirmedBatch = 0;
  private confirmPending = false;
  /**
   * Per producer run, its last acknowledged event while unconfirmed: Redis answered it, but no batch
   * sent after that answer was answered yet. Redis writes a call's reply before its pub/sub copies
   * (in the same pass), so a crash can leave an acknowledged event undelivered; once Redis answered a
   * later call, that pass was over. In ackBatch order; a run's entry is the one its `unconfirmed`
   * names, earlier ones of the run are superseded and skipped (a queue, not a Map re-inserting an
   * entry per event: that was ~0.3 KB of allocation and ~2.5% of Node's busy time per event).
   */
  private readonly unconfirmed = new Fifo<Unconfirmed>();
  private closed = false;

  constructor(options: RedisBusOptions = {}) {
    const url = options.url ?? process.env.REDIS_URL;
    if (!url) throw new TypeError('RedisBus needs a Redis URL: pass { url } or set REDIS_URL');
    this.cfg = {
      maxBytesPerUser: positiveInt(options.maxBytesPerUser ?? 4 * 1024 * 1024, 'maxBytesPerUser'),
      maxAgeMs: positiveInt(options.maxAgeMs ?? 5 * 60_000, 'maxAgeMs'),
      maxBytes: positiveInt(options.maxBytes ?? 256 * 1024 * 1024, 'maxBytes'),
      metaTtlMs: positiveInt(options.metaTtlMs ?? 60 * 60_000, 'metaTtlMs'),
      activeTtlMs: positiveInt(options.activeTtlMs ?? 24 * 60 * 60_000, 'activeTtlMs'),
      maxBufferedPublishes: positiveInt(options.maxBufferedPublishes ?? 10_000, 'maxBufferedPublishes'),
      maxBufferedBytes: positiveInt(options.maxBufferedBytes ?? 16 * 1024 * 1024, 'maxBufferedBytes'),
      maxInFlight: positiveInt(options.maxInFlight ?? 1024, 'maxInFlight'),
      maxBatch: positiveInt(options.maxBatch ?? 256, 'maxBatch'),
      splitBatchFrom: nonNegativeInt(options.splitBatchFrom ?? 64, 'splitBatchFrom'),
      reconnectBaseMs: positiveInt(options.reconnectBaseMs ?? 50, 'reconnectBaseMs'),
      reconnectMaxMs: positiveInt(options.reconnectMaxMs ?? 2000, 'reconnectMaxMs'),
      readyTimeoutMs: positiveInt(options.readyTimeoutMs ?? 5000, 'readyTimeoutMs'),
      maxTrackedRuns: positiveInt(options.maxTrackedRuns ?? 10_000, 'maxTrackedRuns'),
    };
    // Positions must outlive the events, or an offset could restart under a still-stored stream.
    this.cfg.metaTtlMs = Math.max(this.cfg.metaTtlMs, this.cfg.maxAgeMs);
    this.cfg.activeTtlMs = Math.max(this.cfg.activeTtlMs, this.cfg.metaTtlMs);
    // TTLs are refreshed at most this often (and set this much longer than their bound): see APPEND_BATCH_LUA.
    this.ttlRefreshMs = Math.max(1, Math.floor(this.cfg.maxAgeMs / 4));
    // As APPEND_BATCH_LUA's leanBudget (the script trims a user to maxBytesPerUser less this).
    this.leanBudget = Math.floor(Math.min(this.cfg.maxBytesPerUser / 8, this.cfg.maxBytes / 64));
    this.eventChannels = options.eventChannels ?? 16;
    if (!Number.isInteger(this.eventChannels) || this.eventChannels < 0) throw new RangeError(`eventChannels must be an integer >= 0 (got ${this.eventChannels})`);
    this.onError = options.onError ?? (() => {});
    const leanAppends = options.leanAppends ?? 'script';
    if (leanAppends !== 'script' && leanAppends !== 'pipelined') throw new RangeError(`leanAppends must be 'script' or 'pipelined' (got ${String(leanAppends)})`);
    this.pipelinedLean = leanAppends === 'pipelined';
    this.instanceId = randomUUID().slice(0, 8);
    this.keys = redisKeys(options.keyPrefix ?? 'ssot:');

    const { reconnectBaseMs, reconnectMaxMs } = this.cfg;
    const connection: RedisOptions = {
      ...options.redisOptions,
      // Key names come from the bus's keyPrefix alone: the scripts build most of them from it, which
      // ioredis's own keyPrefix (applied to declared keys only) would not match.
      keyPrefix: '',
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
    // Auto-pipelining: commands started in one tick (a batch of publishes, reads) leave in one
    // write instead of one syscall each; order on the connection is unchanged.
    this.cmd = new Redis(url, { ...connection, enableAutoPipelining: true, connectionName: `ssot-bus-${this.instanceId}-cmd` });
    this.sub = new Redis(url, { ...connection, connectionName: `ssot-bus-${this.instanceId}-sub` });
    // The channel messages (every event this instance's users get) decoded by @redis/client's decoder: ~0.25 µs of
    // CPU less per event than ioredis 6's own (redis-decoder.ts).
    decodeWithRedisClient(this.sub);
    // leanAppends 'pipelined': the command connection's replies (an XADD's per lean item) too, and the commands sent
    // ahead of a call are one command-queue entry that takes their replies (CommandsAhead; issue 21 redis17).
    if (this.pipelinedLean) decodeWithRedisClient(this.cmd, { multiReplies: true });
    this.cmd.defineCommand('ssotPosition', { numberOfKeys: 2, lua: POSITION_LUA });
    this.cmd.defineCommand('ssotReadUser', { numberOfKeys: 2, lua: READ_USER_LUA });
    this.cmd.defineCommand('ssotReadRun', { numberOfKeys: 3, lua: READ_RUN_LUA });
    this.cmd.defineCommand('ssotCatchUp', { numberOfKeys: 2, lua: CATCH_UP_LUA });
    const report = (e: Error) => {
      if (!this.closed) this.onError(e);
    };
    this.cmd.on('error', report);
    this.sub.on('error', report);

    this.outbox = new RedisOutbox<OutboxItem>(this.cmd, (items) => this.sendBatch(items), {
      maxBuffered: this.cfg.maxBufferedPublishes,
      maxBufferedBytes: this.cfg.maxBufferedBytes,
      maxInFlight: this.cfg.maxInFlight,
      maxBatch: this.cfg.maxBatch,
      splitBatchFrom: this.cfg.splitBatchFrom,
      // A user's events of the tick stay in one call (one pack, the lean path: nothing of the user in
      // the other call in flight); replays and messages keep their place (no split), and so does a
      // tick where two users publish into one run id (which of them owns a new run is decided by order).
      splitKey: (item) => (item.kind === 'e' || item.kind === 'E' ? item.userId : undefined),
      splitLink: (item) => (item.kind === 'e' || item.kind === 'E' ? item.runId : ''),
      answer: {
        value: (item, value) => (item.kind === 'e' || item.kind === 'E' ? this.published(item, value as string | Ack) : value),
        error: (item, error) => (item.kind === 'e' || item.kind === 'E' ? this.publishFailed(item, error) : error),
      },
      retryBaseMs: 20,
      retryMaxMs: reconnectMaxMs,
    });
    // Pipelined lean items check no writer in Redis: a connection lost (Redis restarting, maybe
    // without its data) ends every lease, not only those with items in the failed call.
    if (this.pipelinedLean) {
      if (commandQueueOf(this.cmd) === undefined) {
        this.cmd.disconnect();
        this.sub.disconnect();
        throw new RangeError(`leanAppends 'pipelined' needs ioredis' command queue, which this ioredis (not 6.x?) does not have: use leanAppends 'script'`);
      }
      this.cmd.on('close', () => this.forgetLeases());
    }
    this.cmd.on('ready', () => {
      this.replayUnconfirmed();
      this.outbox.onReady();
    });
    this.subscriber = new RedisSubscriber(this.sub, this.cmd, {
      keys: this.keys,
      readyTimeoutMs: this.cfg.readyTimeoutMs,
      readPosition: (userId) => this.readPosition(userId),
      eventShard: (userId) => eventShard(userId, this.eventChannels),
      onError: report,
    });
  }

  /** Resolves once both connections are ready (or rejects after readyTimeoutMs). */
  async ready(): Promise<void> {
    await Promise.all([whenReady(this.cmd, this.cfg.readyTimeoutMs), whenReady(this.sub, this.cfg.readyTimeoutMs)]);
  }

  publishEvent<T extends CriticalEventType>(input: PublishEventInput<T>, dataChecked = false): Promise<EventEnvelope<T>> {
    // Not `async`: the outbox's promise settles with the envelope itself (published(), through its
    // answer hook), so a publish costs one promise — no async frame, no await, no `.then` per event.
    let item: EventItem;
    try {
      this.assertOpen();
      const { userId, threadId, runId, type, data } = input;
      const ts = Date.now();
      // Serialised now, once: later changes to `data` by the caller cannot alter what is sent. The
      // hub checked the fields in this same call (dataChecked): not checked a second time then.
      const dataJson = dataChecked ? dataJsonOf(type, data) : serialiseEventData(type, data);
      const tail = dataTail(dataJson);
      const run = this.producerRun(runId, threadId, userId);
      const pseq = ++run.pseq;
      run.pending++;
      // The frame around the seq, offset and epoch Redis assigns: head, then rest (closes the epoch's string).
      const head = `{"type":"${type}"${run.idsJson}`;
      const rest = `","ts":${ts}${tail}`;
      // The frame's UTF-8 bytes beyond its length in chars (a light item's header needs its bytes:
      // counted here on the short parts, not on the whole frame, which that would flatten early).
      // Counted on the data's JSON as JSON.stringify made it (tail has the same extra bytes): a flat
      // string takes Buffer.byteLength's fast path, the concatenated tail its slow one (flattened
      // first: ~0.6 µs per event in the bench's --cpu-prof, 30 vs 90-240 ns alone).
      const extraBytes = run.idsExtraBytes + byteLength(dataJson) - dataJson.length;
      item = { kind: type === 'agent_completed' ? 'E' : 'e', run, userId, threadId, runId, pseq: String(pseq), head, rest, extraBytes, input, ts };
    } catch (err) {
      return Promise.reject(err);
    }
    return this.outbox.enqueue(item.head.length + item.rest.length + 64, item, item.run.producer);
  }

  /** An event's answer (`<seq>:<offset>:<epoch>` from Redis, or a light item's own Ack): its envelope (the outbox's answer hook). */
  private published(item: EventItem, reply: string | Ack): EventEnvelope {
    const { run, runId, input } = item;
    let seq: number;
    let offset: number;
    let epoch: string;
    if (typeof reply === 'string') {
      // `<seq>:<offset>:<epoch>` (the epoch is [a-z0-9]).
      const i = reply.indexOf(':');
      const j = reply.indexOf(':', i + 1);
      seq = Number(reply.slice(0, i));
      offset = Number(reply.slice(i + 1, j));
      epoch = reply.slice(j + 1);
    } else ({ seq, offset, epoch } = reply);
    const pseq = Number(item.pseq);
    const ended = item.kind === 'E';
    run.pending--;
    run.ackedPseq = Math.max(run.ackedPseq, pseq);
    run.ackedSeq = Math.max(run.ackedSeq, seq);
    const tracked = this.runs.get(runId);
    if (ended && run.pending === 0 && tracked === run) this.untrack(run);
    // A producer made for another context (producerRun) whose publish applied: Redis knows this
    // context as the run's, so the one tracked was stale — this one takes its place once idle.
    else if (!ended && tracked !== run && (tracked === undefined || tracked.pending === 0)) this.track(runId, run);
    return buildEnvelope({ type: input.type, runId, threadId: item.threadId, userId: item.userId, seq, offset, epoch, ts: item.ts }, input.data);
  }

  /** An event that failed (the outbox's answer hook): the error its publish rejects with. */
  private publishFailed(item: EventItem, err: Error): unknown {
    const { run, runId } = item;
    run.pending--;
    const mapped = mapScriptError(err, item.input);
    // A refused run starts a new producer incarnation, so later publishes do not wait on this one.
    if (!(mapped instanceof BusUnavailableError) && this.runs.get(runId) === run) this.untrack(run);
    return mapped;
  }

  /** Resolves to the number of instances subscribed to the user when Redis published it. */
  async publishToUser(userId: string, message: OutboundMessage, options: { threadId?: string } = {}): Promise<number> {
    this.assertOpen();
    const payload = encodeMessagePayload(message, options.threadId);
    const item: OutboxItem = { kind: 'm', channel: this.keys.userChannel(userId), payload, shard: eventShard(userId, this.eventChannels) };
    return this.outbox.enqueue(payload.length, item);
  }

  /**
   * Where the user's stream stands for this instance's subscription (waits for it to be live);
   * without a subscription here, the stream's current head.
   */
  async position(userId: string): Promise<StreamPosition> {
    this.assertOpen();
    try {
      return this.subscriber.has(userId) ? await this.subscriber.position(userId) : await this.readPosition(userId);
    } catch (err) {
      throw new BusUnavailableError('unreachable', 'the stream position needs Redis, which is not reachable', { cause: err });
    }
  }

  async replayUser(userId: string, from: StreamPosition): Promise<UserReplay> {
    this.assertOpen();
    const reply = (await this.read(() =>
      (this.cmd as unknown as ScriptCommands).ssotReadUserBuffer(
        this.keys.userMeta(userId), this.keys.userStream(userId),
        from.epoch, from.offset, this.cfg.maxAgeMs, newEpoch(), this.cfg.metaTtlMs, this.keys.prefix, MAX_LOST_RUNS_REPORTED,
      ),
    )) as [Buffer, number, Buffer, number, unknown[], [Buffer, number, number][], number];
    const [epochRaw, head, statusRaw, firstStored, entries, lost, truncated] = reply;
    const position = { epoch: String(epochRaw), offset: Number(head) };
    const status = String(statusRaw) as 'ok' | 'trimmed' | 'reset';
    // A pack's frames at or before the position come with it (its entry holds later ones too).
    const frames = entries.flatMap((e) => parseStreamEntries(e)).filter((e) => status === 'reset' || e.offset > from.offset).map(toFrame);
    if (status === 'ok') return { status: 'ok', frames, position };
    const runs: LostRun[] = lost.map(([runId, lastSeq, first]) => ({ runId: String(runId), lastSeq: Number(lastSeq), availableFrom: Number(first) || null }));
    return {
      status: 'gap',
      reason: status,
      frames,
      position,
      fromOffset: status === 'reset' ? 1 : from.offset + 1,
      availableFrom: Number(firstStored) || null,
      runs,
      runsTruncated: Number(truncated) === 1,
    };
  }

  async replay(userId: string, runId: string, afterSeq: number): Promise<ReplayResult> {
    this.assertOpen();
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new RangeError(`afterSeq must be a safe integer >= 0 (got ${afterSeq})`);
    const reply = (await this.read(() =>
      (this.cmd as unknown as ScriptCommands).ssotReadRunBuffer(
        this.keys.runMeta(runId), this.keys.userMeta(userId), this.keys.userStream(userId),
        userId, runId, afterSeq, this.cfg.maxAgeMs,
      ),
    )) as [] | [number, unknown[]];
    if (reply.length === 0) return { status: 'unknown' };
    const lastSeq = Number(reply[0]);
    // A pack holds other runs' frames (and maybe the run's earlier ones): only the run's after the seq.
    const frames = reply[1].flatMap((e) => parseStreamEntries(e)).filter((e) => e.runId === runId && e.seq > afterSeq).map(toFrame);
    const wanted = afterSeq + 1;
    if (wanted > lastSeq) return { status: 'ok', frames: [], lastSeq };
    const first = frames[0];
    if (first && first.seq === wanted) return { status: 'ok', frames, lastSeq };
    return { status: 'gap', frames, lastSeq, fromSeq: wanted, availableFrom: first ? first.seq : null };
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
      batches: this.batches,
      lightItems: this.lightItems,
      leaseRefusals: this.leaseRefusals,
      packedItems: this.packedItems,
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

  /**
   * One script call for the publishes of a tick (APPEND_BATCH_LUA). Arguments are built now, so a
   * resend after a reconnect carries what each run saw acknowledged meanwhile.
   */
  private async sendBatch(items: readonly OutboxItem[]): Promise<ItemResult[]> {
    const k = this.keys;
    const c = this.cfg;
    const args = new ScriptArgs();
    for (const a of [
      '3', k.streams, k.sizes, k.bytes,
      newEpoch(), String(c.maxBytesPerUser), String(c.maxAgeMs), String(c.maxBytes), String(c.metaTtlMs), String(c.activeTtlMs),
      String(MAX_LOST_RUNS_REPORTED), k.prefix, String(FRAME_OVERHEAD_BYTES), String(this.ttlRefreshMs), this.writerId,
    ]) args.push(a);
    const now = Date.now();
    const callNo = ++this.callsBuilt;
    const sent: (SentAs | undefined)[] = new Array(items.length);
    // How each item goes (the lease's predictions move in item order). A user's light items of this
    // call with nothing else of that user between them (and no message at all) form one pack: one
    // stream entry and one piece of its channel message (pushPack). Only a call holding some user
    // twice can pack: its arguments are pushed in a second pass (a pack's at the place of its first
    // item); any other call's as each item is decided, as before packs (the bench's calls).
    let era = ++this.packEras;
    let deferred = false;
    for (let x = 0; x < items.length; x++) {
      const it = items[x]!;
      if (it.kind === 'm') continue;
      const l = this.leases.get(it.kind === 'r' ? it.ev.userId : it.userId);
      if (l === undefined) continue; // no lease: nothing of this user goes light
      if (l.packEra === era) {
        deferred = true;
        break;
      }
      l.packEra = era;
    }
    era = ++this.packEras;
    const blocks: (number | LightPart)[] = [];
    let lineItem: number[] | undefined;
    // leanAppends 'pipelined': the call's lean items go as plain XADDs ahead of the script call (not
    // in a call that packs, nor in one holding a message, whose order against events of its user the
    // script's channel messages keep); their channel messages as one PUBLISH per event channel.
    const ahead = this.pipelinedLean && !deferred && !items.some((it) => it.kind === 'm') ? new CommandsAhead() : undefined;
    // The items' indices only: a LightPart (its frame, header) is not kept until the call is answered.
    const aheadX: number[] = [];
    const aheadShards = new Map<string, { text: string; bytes: number }>();
    // A pipelined lean entry's `t` field and value, RESP-encoded once per call.
    const tField = ahead ? `${bulk('t')}${bulk(String(now))}` : '';
    if (ahead) lineItem = [];
    const emit = (b: number | LightPart): void => {
      if (typeof b !== 'number') {
        const lease = sent[b.x]!.lease;
        lease.pack = undefined; // not kept past the call (its frames)
        if (b.more === undefined) {
          // A lean agent_completed writes its run's meta in the script ('k'): never ahead of it.
          if (ahead && b.lean && b.it.kind === 'e' && !b.first) {
            this.pushAhead(ahead, b, tField, aheadShards);
            aheadX.push(b.x);
            return;
          }
          this.pushLight(args, b, lease);
          lineItem?.push(b.x);
        } else {
          const parts = [b, ...b.more];
          if (!parts.every((p) => p.lean)) for (const p of parts) sent[p.x]!.general = true;
          this.pushPack(args, parts, lease);
          this.packedItems += parts.length;
          if (lineItem) for (const p of parts) lineItem.push(p.x);
        }
        return;
      }
      const it = items[b]!;
      lineItem?.push(b);
      if (it.kind === 'm') {
        args.push('m', 1);
        args.push(it.channel);
        args.push(it.payload);
        args.push(it.shard);
        return;
      }
      const kind = sent[b]!.kind;
      // As its first send, but: pseq - 1 seen acknowledged, seq - 1 as hint (it keeps its seq).
      if (it.kind === 'r') pushFull(args, kind, it.ev, String(Number(it.ev.pseq) - 1), String(it.seq - 1));
      // The run's and the user's key names are built by the script from the prefix (as redisKeys does).
      else pushFull(args, kind, it, String(it.run.ackedPseq), String(it.run.ackedSeq));
    };
    const put = (b: number | LightPart): void => {
      if (deferred) blocks.push(b);
      else emit(b);
    };
    let packed = false;
    for (let x = 0; x < items.length; x++) {
      const it = items[x]!;
      if (it.kind === 'm') {
        // A message flushes its shard's pending channel message (APPEND_BATCH_LUA): no pack spans it.
        era = ++this.packEras;
        put(x);
        continue;
      }
      const ev = it.kind === 'r' ? it.ev : it;
      const lease = this.lease(ev.userId);
      const cond = lease.known;
      if (lease.callNo !== callNo) {
        lease.callNo = callNo;
        lease.callInflight = lease.inflight;
        lease.callGeneral = false;
      }
      lease.inflight++;
      // Conditional on the stream as this instance predicts it (see UserLease): `<kind><offset>:<epoch>`,
      // made only for an item sent full (a light item's kind is its own).
      // Every field in the literal (light and first too): one object shape, not a map transition per
      // field set later (V8 deoptimized sendBatch on 'wrong map' when first() added one: --trace-deopt).
      const as: SentAs = { lease, cond, light: undefined, kind: it.kind, general: true, first: false, at: now };
      sent[x] = as;
      if (cond && (it.kind === 'r' || !lightNext(it, now))) as.kind = `${it.kind}${lease.off}:${lease.epoch}`;
      if (it.kind === 'r') {
        // A replay appends only if Redis lost the run: whether the offset moves is unknown.
        lease.callGeneral = true;
        if (cond) lease.stale = true;
        lease.pack = undefined;
        put(x);
        continue;
      }
      const { run } = it;
      // A new run's first event (this producer's first publish of the run) of a leased user that may
      // go lean: sent as 'n' (APPEND_BATCH_LUA first()) with seq 1 — applied only if Redis knows no such
      // run yet — instead of a full item (the general path: the user's checkpoint read back, its meta
      // written), alone for its user in the call (never in a pack, nor ahead of the script).
      const first = cond && !deferred && it.kind === 'e' && it.pseq === '1' && run.ackedSeq === 0 && lease.callInflight === 0 && !lease.callGeneral && now < lease.leanUntil;
      if (cond && (first || lightNext(it, now))) {
        // A light item: this instance is the user's last writer and the run's producer, and the run's
        // previous event is applied (lockstep), so it assigns seq, offset and the frame itself.
        const seq = first ? 1 : run.ackedSeq + 1;
        const off = lease.off + 1;
        const json = `${it.head},"seq":${seq},"offset":${off},"epoch":"${lease.epoch}${it.rest}`;
        // Every number as a string the script compares or stores as is (APPEND_BATCH_LUA: a light
        // event), and the frame's channel message header (redis-keys.ts) built here, not in Lua.
        const o = String(off);
        const s = String(seq);
        const jsonBytes = json.length + it.extraBytes;
        const header = `${o}|${s}|${lease.epoch}|${run.idLengths}${jsonBytes}${run.idsTail}`;
        // Lean (no meta read or written in Redis) while nothing of the user was in flight before this
        // call (only the general path fences an item sent behind one that failed), within the user's
        // lean window and byte budget (UserLease.leanUntil).
        const size = jsonBytes + FRAME_OVERHEAD_BYTES;
        const lean = lease.callInflight === 0 && !lease.callGeneral && now < lease.leanUntil && lease.leanBytes + size <= this.leanBudget;
        // agent_completed goes light only lean and alone for its user in the call ('k': the script then
        // writes its run's meta — the last seq, the ended run's TTL — as a full item does; the general
        // light path and packs leave the run's meta alone); otherwise full, as before.
        if ((it.kind === 'E' || first) && (!lean || deferred)) {
          as.kind = `${it.kind}${lease.off}:${lease.epoch}`;
          lease.off++;
          lease.callGeneral = true;
          lease.pack = undefined;
          put(x);
          continue;
        }
        let cp: string | undefined;
        if (lean) {
          lease.leanBytes += size;
          if (lease.leanRun === undefined) lease.leanRun = it.runId;
          else if (lease.leanRun !== it.runId) lease.leanRun = null;
          if (lease.leanRun !== null && lease.cpOff >= 0) cp = `${lease.cpOff}:${lease.leanBytes}`;
        } else lease.callGeneral = true;
        as.general = !lean;
        const part: LightPart = {
          x, it, o, s, prev: lease.off, json, jsonBytes, header,
          headerBytes: header.length + lease.epochExtra + run.userExtra + run.runExtra, more: undefined, lean, cp, first,
        };
        as.first = first;
        as.light = { seq, offset: off, epoch: lease.epoch };
        this.lightItems++;
        lease.off = off;
        if (deferred && lease.pack !== undefined && lease.packEra === era) {
          (lease.pack.more ??= []).push(part);
          packed = true;
        } else {
          if (deferred) {
            lease.pack = part;
            lease.packEra = era;
          }
          put(part);
        }
        continue;
      }
      if (cond) lease.off++;
      lease.callGeneral = true;
      lease.pack = undefined;
      put(x);
    }
    // Redis answers a line per item in argument order: a pack's lines come where its first item stands.
    if (packed) lineItem = [];
    for (const b of blocks) emit(b);
    if (ahead) {
      // After every XADD: a subscriber gets a user's frames in offset order (a later item of the
      // user in this call, through the script, is published after these).
      for (const [shard, m] of aheadShards) {
        const channel = k.eventChannel(shard);
        ahead.command(3);
        ahead.push('PUBLISH', 7);
        ahead.push(channel, byteLength(channel));
        ahead.push(m.text, m.bytes);
      }
    }
    this.batches++;
    const batchNo = ++this.sends;
    // One line per item (APPEND_BATCH_LUA): `<seq>:<offset>:<epoch>`, `#<receivers>` or `!<error>`.
    let answer: unknown;
    try {
      answer = await this.appendScript.call(this.cmd, args, ahead);
    } catch (err) {
      if (isNoScriptError(err)) this.appendScript.forget(); // the batch is resent (transient), as EVAL
      for (let x = 0; x < items.length; x++) {
        const as = sent[x];
        if (as) this.leaseAnswered(items[x]!, as, undefined);
      }
      throw err;
    }
    let lines = String(answer).split('\n');
    if (lineItem) {
      const byItem = new Array<string>(items.length);
      for (let i = 0; i < lineItem.length && i < lines.length; i++) byItem[lineItem[i]!] = lines[i]!;
      // A pipelined lean item's XADD answered its id, or refused it: an entry at or above its offset
      // (another instance appended) or no stream (NOMKSTREAM) — the lease is gone, resent as a full item.
      for (let i = 0; i < aheadX.length; i++) byItem[aheadX[i]!] = ahead!.replies[i] === true ? '+' : '!SSOT_LEASE';
      lines = byItem;
    }
    for (let x = 0; x < items.length; x++) {
      const as = sent[x];
      if (!as) continue;
      this.leaseAnswered(items[x]!, as, lines[x]);
    }
    this.noteAnswered(items, lines, sent, batchNo);
    return items.map((it, i): ItemResult => {
      const line = lines[i];
      if (line === undefined) return { error: new Error('Redis answered fewer items than the batch held') };
      if (line.charCodeAt(0) === 0x21 /* ! */) return { error: new BatchItemError(line.slice(1)) };
      if (it.kind === 'm') return { value: Number(line.slice(1)) };
      const light = sent[i]!.light;
      return { value: light !== undefined && line === '+' ? light : line };
    });
  }

  /** A light item's 12 arguments (APPEND_BATCH_LUA: 'l'), byte lengths known from their parts. */
  private pushLight(args: ScriptArgs, p: LightPart, lease: UserLease): void {
    const { it } = p;
    const { run } = it;
    if (p.lean) {
      if (it.kind !== 'E' && !p.first) {
        // The usual lean item's 7 arguments (APPEND_BATCH_LUA compact(), issue 21 redis12): the run's
        // constant ones ('l', the user's keys; shard) encoded once per run, and the event's channel
        // message piece (header and frame) as one argument — also its stream entry's 'm'.
        args.pushEncoded(run.compactHead, 3, 2 * run.keyExtra);
        args.push(p.header + p.json, p.headerBytes + p.jsonBytes);
        args.pushEncoded(run.shardArg, 1, run.shardExtra);
        args.push(p.o, p.o.length);
        args.push(p.cp ?? '', p.cp === undefined ? 0 : p.cp.length);
        return;
      }
      // 'k': a lean agent_completed (APPEND_BATCH_LUA lean()), 'n': a new run's first event (first()):
      // 10 arguments (and n's 4 more), the run's constant ones (the user's keys, runId; shard) encoded
      // once per run.
      args.push(p.first ? 'n' : 'k', 1);
      args.pushEncoded(run.leanHead, 3, 2 * run.keyExtra + run.runExtra);
      args.push(p.s, p.s.length);
      args.push(p.json, p.jsonBytes);
      args.pushEncoded(run.shardArg, 1, run.shardExtra);
      args.push(p.o, p.o.length);
      args.push(p.header, p.headerBytes);
      args.push(p.cp ?? '', p.cp === undefined ? 0 : p.cp.length);
      if (p.first) {
        // 'n' (14 arguments): then the run's record as a light item writes it, and what its meta names.
        const record = recordOf(p);
        args.push(record, record.length + run.threadExtra);
        args.push(it.threadId, it.threadId.length + run.threadExtra);
        args.push(it.userId, it.userId.length + run.userExtra);
        args.push(lease.epoch, lease.epoch.length + lease.epochExtra);
      }
      return;
    }
    // 'L': through the script's general path (see UserLease.leanUntil).
    args.push('L', 1);
    args.push(it.userId, it.userId.length + run.userExtra);
    const record = recordOf(p);
    args.push(record, record.length + run.threadExtra);
    args.push(it.runId, it.runId.length + run.runExtra);
    const last = lightRecordOf(run);
    args.push(last, last.length + (last === '' ? 0 : run.threadExtra));
    const prev = String(p.prev);
    args.push(prev, prev.length);
    args.push(p.s, p.s.length);
    args.push(p.json, p.jsonBytes);
    args.push(lease.epoch, lease.epoch.length + lease.epochExtra);
    args.push(run.shard, run.shard.length + run.shardExtra);
    args.push(p.o, p.o.length);
    args.push(p.header, p.headerBytes);
  }

  /**
   * A lean item as a plain command ahead of the script call (leanAppends 'pipelined'): `XADD <stream>
   * NOMKSTREAM <offset>-0 m <piece> t <ms> [c <checkpoint>]` — the compact entry the script's lean item
   * writes (compact() in APPEND_BATCH_LUA; `t`: this instance's clock, not Redis's) —, and the same piece
   * (the event's header and frame) added to its event channel's message. One string per event carries the
   * frame to both, and the command is one template of the run's constant head and that piece (issue 21
   * redis17: it was 14 arguments pushed one by one, the frame in `j` and again in the channel message).
   */
  private pushAhead(ahead: CommandsAhead, p: LightPart, tField: string, shards: Map<string, { text: string; bytes: number }>): void {
    const { run } = p.it;
    const piece = p.header + p.json;
    const pieceBytes = p.headerBytes + p.jsonBytes;
    const idBytes = p.o.length + 2;
    ahead.pushEncoded(
      p.cp === undefined
        ? `*8\r\n${run.xaddHead}${bulkHeader(idBytes)}${p.o}-0\r\n${M_FIELD_ARG}${bulkHeader(pieceBytes)}${piece}\r\n${tField}`
        : `*10\r\n${run.xaddHead}${bulkHeader(idBytes)}${p.o}-0\r\n${M_FIELD_ARG}${bulkHeader(pieceBytes)}${piece}\r\n${tField}${C_FIELD_ARG}${bulkHeader(p.cp.length)}${p.cp}\r\n`,
      1,
      run.keyExtra + pieceBytes - piece.length,
    );
    const m = shards.get(run.shard);
    if (m === undefined) shards.set(run.shard, { text: piece, bytes: pieceBytes });
    else {
      m.text += piece;
      m.bytes += pieceBytes;
    }
  }

  /** Every lease ends (leanAppends 'pipelined', the command connection lost): its next item goes full. */
  private forgetLeases(): void {
    for (const lease of this.leases.values()) {
      if (lease.inflight === 0) lease.known = false;
      else lease.stale = true;
    }
  }

  /**
   * A pack (APPEND_BATCH_LUA: 'p'): a user's light items of one call, consecutive offsets, one per
   * run — one stream entry (id: the last offset; `n` frames joined by a newline, which no frame
   * holds: JSON escapes it and ids refuse control characters) and one piece of the channel message.
   */
  private pushPack(args: ScriptArgs, parts: LightPart[], lease: UserLease): void {
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    const { run } = first.it;
    let json = '';
    let jsonBytes = parts.length - 1;
    let seqs = '';
    let message = '';
    let messageBytes = 0;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      json += i === 0 ? p.json : '\n' + p.json;
      jsonBytes += p.jsonBytes;
      seqs += i === 0 ? p.s : ',' + p.s;
      message += p.header + p.json;
      messageBytes += p.headerBytes + p.jsonBytes;
    }
    // 'P': through the script's general path, unless every item of it may go lean (UserLease.leanUntil).
    args.push(parts.every((p) => p.lean) ? 'p' : 'P', 1);
    args.push(first.it.userId, first.it.userId.length + run.userExtra);
    args.push(lease.epoch, lease.epoch.length + lease.epochExtra);
    const prev = String(first.prev);
    args.push(prev, prev.length);
    args.push(last.o, last.o.length);
    const n = String(parts.length);
    args.push(n, n.length);
    args.push(json, jsonBytes);
    args.push(seqs, seqs.length);
    args.push(run.shard, run.shard.length + run.shardExtra);
    args.push(message, messageBytes);
    for (const p of parts) {
      const r = p.it.run;
      args.push(p.it.runId, p.it.runId.length + r.runExtra);
      const last = lightRecordOf(r);
      args.push(last, last.length + (last === '' ? 0 : r.threadExtra));
      const record = recordOf(p);
      args.push(record, record.length + r.threadExtra);
    }
  }

  /** The user's lease (UserLease), made (unknown) if it has none; at most maxTrackedRuns users kept. */
  private lease(userId: string): UserLease {
    let lease = this.leases.get(userId);
    if (lease) return lease;
    lease = {
      known: false, epoch: '', epochExtra: 0, off: 0, stale: false, inflight: 0, coolUntil: 0, pack: undefined, packEra: 0,
      leanUntil: 0, leanBytes: 0, cpOff: -1, leanRun: undefined, callNo: 0, callInflight: 0, callGeneral: false,
    };
    this.leases.set(userId, lease);
    if (this.leases.size > this.cfg.maxTrackedRuns) {
      for (const [id, l] of this.leases) {
        if (this.leases.size <= this.cfg.maxTrackedRuns) break;
        if (l.inflight === 0) this.leases.delete(id);
      }
    }
    return lease;
  }

  /**
   * An event item's answer (undefined: its call failed) as the lease sees it: an unconditional item
   * applied makes this instance the user's last writer, and its answer (the last one in flight) says
   * where the stream stands; a refused conditional item, or its call failing, makes the lease stale —
   * items still in flight under it fail their check (they were predicted on it) and are resent, and
   * once none is, the lease is forgotten: the next item is unconditional.
   */
  private leaseAnswered(item: OutboxItem, as: SentAs, line: string | undefined): void {
    if (item.kind === 'm') return;
    const ev = item.kind === 'r' ? item.ev : item;
    const { lease } = as;
    lease.inflight--;
    const ok = line !== undefined && line.charCodeAt(0) !== 0x21 /* ! */;
    if (!ok) {
      if (as.cond) lease.stale = true;
      if (line === '!SSOT_LEASE') {
        this.leaseRefusals++;
        lease.coolUntil = Date.now() + LEASE_COOLDOWN_MS;
      } else if (line === '!SSOT_LEASE run') {
        // A new run's lean first event whose run Redis knows already ('n': APPEND_BATCH_LUA first()):
        // no other instance took the user's lease, so no cooldown; resent as a full item.
        this.leaseRefusals++;
      }
    } else if (item.kind !== 'r') {
      // Through the general path: the user's position, size and records are checkpointed, its
      // bounds and TTLs checked (APPEND_BATCH_LUA); lean items may follow for half an interval.
      if (as.general && line !== '=') {
        lease.leanUntil = as.at + this.ttlRefreshMs / 2;
        lease.leanBytes = 0;
        // Where the meta's checkpoint now stands: this item's offset (the general path brings the
        // checkpoint up to the stream's tail, then appends it). A resend answered from what it got
        // names an older offset: recover() then finds the checkpoint elsewhere and reads back as before.
        lease.cpOff = as.light !== undefined ? as.light.offset : Number(line.slice(line.indexOf(':') + 1, line.indexOf(':', line.indexOf(':') + 1)));
        lease.leanRun = undefined;
      }
      // A full item of the run applied: its owner was checked and its meta refreshed when due; a lean
      // first event ('n') claimed the run and set its meta's TTL.
      if (as.first) item.run.lightUntil = Date.now() + this.ttlRefreshMs / 2;
      if (as.light === undefined) {
        item.run.lightUntil = Date.now() + this.ttlRefreshMs / 2;
        item.run.lightSeq = 0;
      } else {
        // The record the item wrote, kept as its parts (lightRecordOf): made only when a later item
        // of the run is sent through the general path.
        item.run.lightSeq = as.light.seq;
        item.run.lightOff = as.light.offset;
        item.run.lightPseq = item.pseq;
      }
      if (!as.cond && lease.inflight === 0 && line !== '=' && this.leases.get(ev.userId) === lease && Date.now() >= lease.coolUntil) {
        const i = line.indexOf(':');
        const j = line.indexOf(':', i + 1);
        lease.known = true;
        lease.stale = false;
        lease.off = Number(line.slice(i + 1, j));
        lease.epoch = line.slice(j + 1);
        lease.epochExtra = byteLength(lease.epoch) - lease.epoch.length;
      }
    }
    if (lease.stale && lease.inflight === 0) {
      lease.known = false;
      lease.stale = false;
      // Kept while cooling down (the map is bounded by maxTrackedRuns).
      if (this.leases.get(ev.userId) === lease && Date.now() >= lease.coolUntil) this.leases.delete(ev.userId);
    }
  }

  /** Confirms what was answered before this batch was sent; the batch's own events become unconfirmed. */
  private noteAnswered(items: readonly OutboxItem[], lines: string[], sent: readonly (SentAs | undefined)[], batchNo: number): void {
    this.confirm(batchNo);
    // Calls numbered above this were sent after this answer arrived.
    const ackBatch = this.sends;
    items.forEach((it, i) => {
      if (it.kind === 'm') return;
      const line = lines[i];
      if (line === undefined || line === '=' || line.charCodeAt(0) === 0x21 /* ! */) return;
      const ev = it.kind === 'r' ? it.ev : it;
      const light = sent[i]!.light;
      const seq = it.kind === 'r' ? it.seq : light !== undefined && line === '+' ? light.seq : Number(line.slice(0, line.indexOf(':')));
      const u: Unconfirmed = { ev, seq, ackBatch };
      ev.run.unconfirmed = u;
      this.unconfirmed.push(u);
    });
    if (this.oldestUnconfirmed() !== undefined) this.scheduleConfirm();
  }

  private confirm(callNo: number): void {
    if (callNo > this.confirmedBatch) this.confirmedBatch = callNo;
    for (let u = this.oldestUnconfirmed(); u !== undefined && u.ackBatch < this.confirmedBatch; u = this.oldestUnconfirmed()) {
      this.unconfirmed.shift();
      u.ev.run.unconfirmed = undefined;
    }
  }

  /** The oldest run's entry still unconfirmed (superseded entries ahead of it dropped). */
  private oldestUnconfirmed(): Unconfirmed | undefined {
    let u = this.unconfirmed.peek();
    while (u !== undefined && u.ev.run.unconfirmed !== u) {
      this.unconfirmed.shift();
      u = this.unconfirmed.peek();
    }
    return u;
  }

  /**
   * A PING after the answers of this tick, unless one is out or a batch left after them (a busy
   * bus's next batch confirms them just as well): an event stays unconfirmed for about one round trip.
   * In lockstep (runs awaiting each emit) the PING per round trip was an extra command, reply and
   * event-loop turn: ~1.8 µs of Node CPU per event in the publisher.
   */
  private scheduleConfirm(): void {
    if (this.confirmPending || this.closed) return;
    this.confirmPending = true;
    setImmediate(() => {
      const oldest = this.oldestUnconfirmed();
      if (!oldest || this.sends > oldest.ackBatch) {
        // Nothing left, or a call went out after those answers (a busy bus's next batch): its answer
        // confirms them (a call that fails is resent, or the reconnect replays them): no PING.
        this.confirmPending = false;
        return;
      }
      const callNo = ++this.sends;
      const done = (ok: boolean) => {
        this.confirmPending = false;
        if (ok) this.confirm(callNo);
        const next = ok ? this.oldestUnconfirmed() : undefined;
        if (next !== undefined && next.ackBatch >= callNo) this.scheduleConfirm();
      };
      if (this.closed || this.cmd.status !== 'ready') return done(false);
      this.cmd.ping().then(() => done(true), () => done(false));
    });
  }

  /**
   * On reconnect: the events acknowledged but unconfirmed when the connection was lost go first,
   * as replays — appended again (same seq) only where Redis lost the producer's answers, i.e. its
   * data, and with it possibly their pub/sub copies. A client that got one drops it by its seq.
   */
  private replayUnconfirmed(): void {
    const entries: { bytes: number; item: ReplayItem }[] = [];
    for (let u = this.unconfirmed.shift(); u !== undefined; u = this.unconfirmed.shift()) {
      if (u.ev.run.unconfirmed !== u) continue; // superseded by a later answer of its run
      u.ev.run.unconfirmed = undefined;
      entries.push({ bytes: u.ev.head.length + u.ev.rest.length + 64, item: { kind: 'r', ev: u.ev, seq: u.seq } });
    }
    if (entries.length === 0) return;
    for (const p of this.outbox.prepend(entries)) p.catch((err: unknown) => this.onError(err instanceof Error ? err : new Error(String(err))));
  }

  /** A read that needs Redis: waits up to readyTimeoutMs, then fails with BusUnavailableError('unreachable'). */
  private async read(call: () => Promise<unknown>): Promise<unknown> {
    try {
      await whenReady(this.cmd, this.cfg.readyTimeoutMs);
      return await call();
    } catch (err) {
      if (err instanceof Error && !isTransientRedisError(err)) throw err;
      throw new BusUnavailableError('unreachable', 'this read needs Redis, which is not reachable', { cause: err });
    }
  }

  private async readPosition(userId: string): Promise<StreamPosition> {
    await whenReady(this.cmd, this.cfg.readyTimeoutMs);
    const [epoch, offset] = (await (this.cmd as unknown as ScriptCommands).ssotPosition(this.keys.userMeta(userId), this.keys.userStream(userId), newEpoch(), this.cfg.metaTtlMs)) as [string, number];
    return { epoch: String(epoch), offset: Number(offset) };
  }

  private producerRun(runId: string, threadId: string, userId: string): ProducerRun {
    const known = this.runs.get(runId);
    // Another user's (or thread's) publish into a run this instance publishes for: a producer of
    // its own, not tracked. The owner check refuses it alone: it takes no number in the run's
    // producer sequence, its refusal fails none of the run's publishes (same batch or later), and
    // its frame names its own context. Tracked instead if Redis accepts it (publishEvent).
    if (known && (known.userId !== userId || known.threadId !== threadId)) return this.newProducerRun(runId, threadId, userId);
    const run = known ?? this.newProducerRun(runId, threadId, userId);
    this.track(runId, run);
    return run;
  }

  private newProducerRun(runId: string, threadId: string, userId: string): ProducerRun {
    const producer = `${this.instanceId}.${++this.incarnations}`;
    const idsJson = runIdsJson(runId, threadId, userId);
    const shard = eventShard(userId, this.eventChannels);
    const metaKey = this.keys.userMeta(userId);
    const streamKey = this.keys.userStream(userId);
    return {
      producer,
      pseq: 0,
      ackedPseq: 0,
      ackedSeq: 0,
      pending: 0,
      userId,
      threadId,
      idsJson,
      shard,
      idLengths: `${byteLength(userId)}|${byteLength(runId)}|`,
      idsTail: `|${userId}${runId}`,
      recordTail: `:0:${producer}:${threadId}`,
      metaKey,
      streamKey,
      keyExtra: byteLength(metaKey) - metaKey.length,
      idsExtraBytes: byteLength(idsJson) - idsJson.length,
      userExtra: byteLength(userId) - userId.length,
      runExtra: byteLength(runId) - runId.length,
      threadExtra: byteLength(threadId) - threadId.length,
      shardExtra: byteLength(shard) - shard.length,
      leanHead: `${bulk(metaKey)}${bulk(streamKey)}${bulk(runId)}`,
      compactHead: `${LEAN_KIND_ARG}${bulk(metaKey)}${bulk(streamKey)}`,
      shardArg: bulk(shard),
      xaddHead: this.pipelinedLean ? `${XADD_ARGS}${bulk(streamKey)}${NOMKSTREAM_ARG}` : '',
      lightSeq: 0,
      lightOff: 0,
      lightPseq: '',
      unconfirmed: undefined,
      lightUntil: 0,
      runId,
      older: undefined,
      newer: undefined,
      tracked: false,
    };
  }

  /**
   * Tracks a run's producer as the most recently used, within maxTrackedRuns. The recency order is a
   * list through the producers themselves (oldest: lruOldest), not the Map's insertion order: moving a
   * run there took a `delete` and a `set` of the Map per publish, whose deleted entries made it rehash
   * every few hundred publishes (~165 B per event of Map.set allocation and ~4% of Node's busy samples
   * in the bench's --cpu-prof: issue 21 redis20). The Map is only the lookup by run id.
   */
  private track(runId: string, run: ProducerRun): void {
    if (run.tracked) {
      if (this.lruNewest === run) return;
      this.unlink(run);
    } else {
      const previous = this.runs.get(runId);
      if (previous !== undefined) this.untrack(previous);
      this.runs.set(runId, run);
      run.tracked = true;
    }
    run.older = this.lruNewest;
    run.newer = undefined;
    if (this.lruNewest !== undefined) this.lruNewest.newer = run;
    else this.lruOldest = run;
    this.lruNewest = run;
    if (this.runs.size > this.cfg.maxTrackedRuns) {
      for (let r = this.lruOldest; r !== undefined && this.runs.size > this.cfg.maxTrackedRuns; ) {
        const next = r.newer;
        if (r.pending === 0) this.untrack(r); // never forget a run with publishes in flight
        r = next;
      }
    }
  }

  /** Forgets a tracked producer (its run id's next publish makes a new one). */
  private untrack(run: ProducerRun): void {
    if (!run.tracked) return;
    this.unlink(run);
    run.tracked = false;
    run.older = run.newer = undefined;
    this.runs.delete(run.runId);
  }

  private unlink(run: ProducerRun): void {
    if (run.older !== undefined) run.older.newer = run.newer;
    else this.lruOldest = run.newer;
    if (run.newer !== undefined) run.newer.older = run.older;
    else this.lruNewest = run.older;
  }

  private assertOpen(): void {
    if (this.closed) throw new BusUnavailableError('closed', 'the Redis bus is closed');
  }
}

/** A full (or replayed) item's 11 arguments (APPEND_BATCH_LUA): its owner and thread checked, seq and offset assigned by the script. */
function pushFull(args: ScriptArgs, kind: string, e: EventItem, ackedPseq: string, ackedSeq: string): void {
  for (const a of [kind, e.userId, e.threadId, e.runId, e.run.producer, e.pseq, ackedPseq, ackedSeq, e.head, e.rest, e.run.shard]) args.push(a);
}

/** A publish waiting in the outbox: an event (sequenced, stored) or an unsequenced message. */
type OutboxItem = EventItem | ReplayItem | { kind: 'm'; channel: string; payload: string; shard: string };

/** An acknowledged event sent again after a reconnect, appended only if Redis lost it (APPEND_BATCH_LUA 'r'). */
interface ReplayItem {
  kind: 'r';
  ev: EventItem;
  seq: number;
}

/** A light item's run record (`r:<runId>` in the user's meta), as it writes it. */
function recordOf(p: LightPart): string {
  return `${p.s}:${p.o}:0:${p.it.pseq}${p.it.run.recordTail}`;
}

/** The run's record as its last acknowledged light item wrote it ('' after a full item: ProducerRun.lightSeq). */
function lightRecordOf(run: ProducerRun): string {
  return run.lightSeq === 0 ? '' : `${run.lightSeq}:${run.lightOff}:0:${run.lightPseq}${run.recordTail}`;
}

/** A lean item's kind, RESP-encoded (the head of ProducerRun.compactHead). */
const LEAN_KIND_ARG = bulk('l');
/** A pipelined lean item's constant pieces, RESP-encoded (ProducerRun.xaddHead, sendBatch's pushAhead). */
const XADD_ARGS = bulk('XADD');
const NOMKSTREAM_ARG = bulk('NOMKSTREAM');
const M_FIELD_ARG = bulk('m');
const C_FIELD_ARG = bulk('c');

/**
 * An event that goes as a light item if its user's lease is known: the run's previous event applied
 * (lockstep), within its light window (agent_completed only lean: sendBatch).
 */
function lightNext(it: EventItem, now: number): boolean {
  const { run } = it;
  return run.ackedSeq > 0 && run.ackedPseq + 1 === Number(it.pseq) && now < run.lightUntil;
}

/** An acknowledged event not yet confirmed (RedisBus.unconfirmed): its seq, and the calls sent before its answer arrived. */
interface Unconfirmed {
  ev: EventItem;
  seq: number;
  ackBatch: number;
}

interface EventItem {
  /** 'E': agent_completed (the run's meta gets its shorter TTL). */
  kind: 'e' | 'E';
  run: ProducerRun;
  userId: string;
  threadId: string;
  runId: string;
  pseq: string;
  /** The frame before its seq (`{"type":…` and the run's ids) and after its epoch (`","ts":…` and the data). */
  head: string;
  rest: string;
  /** The frame's UTF-8 bytes minus its length in chars (0 for ASCII). */
  extraBytes: number;
  /** The publish (its type and data make the envelope) and its time (the frame's `ts`). */
  input: PublishEventInput;
  ts: number;
}

/**
 * One item of a batch refused by the append script (SSOT_OWNER, SSOT_THREAD, SSOT_ORDER): named
 * like ioredis's ReplyError, so the outbox tells transient refusals (SSOT_ORDER) from permanent ones.
 */
class BatchItemError extends Error {
  override readonly name = 'ReplyError';
}

interface ScriptCommands {
  ssotPosition(...args: (string | number)[]): Promise<unknown>;
  ssotReadUserBuffer(...args: (string | number)[]): Promise<unknown>;
  ssotReadRunBuffer(...args: (string | number)[]): Promise<unknown>;
}

function toFrame(e: { offset: number; runId: string; seq: number; text: Buffer }): StoredFrame {
  return { offset: e.offset, runId: e.runId, seq: e.seq, text: e.text };
}

/** A fresh epoch for a stream that has none: random, short (every frame carries it), [a-z0-9]. */
function newEpoch(): string {
  return randomUUID().replace(/-/g, '').slice(0, 10);
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

function nonNegativeInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be an integer >= 0 (got ${value})`);
  return value;
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
