import { assertValidId } from './context.js';
import { CLOSE_CODES } from './close-codes.js';
import { CrossUserAccessError, DuplicateConnectionError, HubClosedError, InvalidContextError, InvalidMessageError } from './errors.js';
import { checkEventFields, isCriticalEventType, isPlainObject, serialiseEventData } from './events.js';
import type { CriticalEventData, CriticalEventType, EventEnvelope } from './events.js';
import { RunLifecycle } from './lifecycle.js';
import type { ConnectionHealth, OutboundMessage, SocketLike, WebSocketConnection } from './protocol.js';
import { queuedBytes } from './protocol.js';
import { createMemoryBus } from './bus/memory.js';
import { Fifo } from './fifo.js';
import { corkableStreamOf, framePayload, sendPreEncoded } from './ws-frame.js';
import { WriteCoalescer } from './write-coalescer.js';
import type { Corkable, FlushTiming } from './write-coalescer.js';
import type { MemoryBusOptions } from './bus/memory.js';
import type { ReplayBuffer, RunCompanion } from './replay.js';
import { isThenable } from './bus/types.js';
import type { Bus, BusDelivery, FrameText, MaybePromise, PublishEventInput, ReplayResult, RunSlot, StoredFrame, StreamPosition, UserReplay } from './bus/types.js';

const OPEN = 1;

export interface ConnectionHubOptions {
  /** Shared bus; default: a new in-memory bus owned (and closed) by this hub. */
  bus?: Bus;
  /** Replay buffer settings for the default in-memory bus. */
  replay?: MemoryBusOptions['replay'];
  /**
   * Per-socket send-queue bound in bytes (ws `bufferedAmount`, Bun `getBufferedAmount()`). A socket already holding more
   * than this is closed with 4408 (slow consumer) instead of queueing more. Default 1 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * Runs whose lifecycle this hub remembers: this many open runs (the least recently used beyond
   * it is forgotten) and, besides, this many completed ones (the oldest completion forgotten
   * first). Default 10 000.
   */
  maxRuns?: number;
  /**
   * Live write coalescing for `ws` sockets (README "Write coalescing"): `'off'` (default) writes
   * each frame at once; `'tick'` corks a socket at its first frame in a turn and uncorks every
   * corked socket once the turn's microtasks have run (a user's awaited emits of one turn leave as
   * one writev); `'immediate'` in the event loop's check phase (also merges frames written by several
   * I/O callbacks of one loop iteration). Fewer syscalls per event, at the latency of holding each
   * frame until the flush. Replays (`replayTo`) are coalesced in any mode.
   */
  coalesceWrites?: 'off' | FlushTiming;
  /** Called for observability when a socket is dropped as a slow consumer. */
  onSlowConsumer?: (connection: WebSocketConnection, bufferedAmount: number) => void;
}

export interface HubStats {
  connections: number;
  users: number;
  runs: number;
  framesSent: number;
  slowConsumerCloses: number;
  confirmations: { confirmed: number; failed: number };
}

/**
 * A ring of (run, seq) pairs, appended on every switch to another run, the oldest overwritten beyond
 * MAX_TRACKED_RUNS_PER_CONNECTION: two array writes per switch (a new run starts on every socket of
 * its user) instead of a table insert, and a confirmation (rare) scans it. A run switched back to
 * may appear more than once; its highest seq counts.
 */
interface SentRuns {
  runs: string[];
  seqs: number[];
  next: number;
}

interface ConnectionState {
  connection: WebSocketConnection;
  /**
   * The connection's socket, user and send capabilities, read once at registration: a delivery reads
   * this one object, not the connection besides (a likely cache miss per event when many users
   * interleave). They do not change while the connection is registered.
   */
  readonly socket: SocketLike;
  readonly userId: string;
  readonly utf8Bytes: boolean;
  readonly wsFrames: boolean;
  /** The run this socket was last sent an event of, and that event's seq (the common case: a run's events come in a row). */
  lastSentRun: string | undefined;
  lastSentSeq: number;
  /**
   * The runs written to this socket before the current one, with the seq each had reached:
   * confirmations above it are refused. Created on the first switch between runs (an idle socket
   * keeps none), bounded per connection.
   */
  sent: SentRuns | undefined;
  confirmed: number;
  failed: number;
}

/**
 * A run the hub remembers: its lifecycle (the run state is the lifecycle itself — one object per
 * run, not two, read on every emit) plus owner, thread and the bookkeeping below.
 */
class RunState extends RunLifecycle {
  /** Emits of one run are serialised so check → seq → apply happen in call order. */
  tail: Promise<unknown> = RESOLVED;
  /** Emits of this run called and not yet settled; 0 = the next one may start at once. */
  pending = 0;
  /** Second-chance bit for the eviction beyond maxRuns (set on use, cleared when spared once). */
  ref = true;
  /** Forgotten by the hub (evicted or the hub closed): a cached reference to it is stale. */
  retired = false;
  /** agent_completed was applied. */
  ended = false;
  /**
   * The user's sockets (byUser's entry) as of `statesVersion`: an emit delivers to them without a
   * byUser lookup while no socket was added or removed since.
   */
  states: ConnectionState | Set<ConnectionState> | undefined = undefined;
  statesVersion = -1;
  /** The store's record this state rides on (hub on its own memory bus: see ConnectionHub.store). */
  rec: RunCompanion | undefined = undefined;
  /**
   * An asynchronous bus's emit made the run's tail by emitInRun (`tracked`: at most one at a time, as
   * it starts only with nothing of the run in flight): its type and data, applied when it settles by
   * `settled`/`failed` — made once per run, not two closures per event (issue 21 redis20).
   */
  flightType: CriticalEventType = 'agent_started';
  flightData: unknown = undefined;
  settled: ((envelope: EventEnvelope) => EventEnvelope) | undefined = undefined;
  failed: ((err: unknown) => never) | undefined = undefined;

  constructor(
    runId: string,
    readonly userId: string,
    readonly threadId: string,
  ) {
    super(runId);
  }
}

/**
 * What a caller that emits many events of one run keeps between them (a scoped manager does),
 * so the hub finds the run without a lookup per event; pass it as the input's `runSlot` too and
 * the bus does the same. Opaque; create one per run with `{}`.
 */
export interface EmitCache extends RunSlot {
  /** @internal */
  run?: unknown;
}

/** What publishFor reads from a scoped manager: its run's ids, and itself as the run's cache. */
export interface Emitter extends EmitCache {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
}

/** The data of a spare input between emits (the caller's data is not held). */
const NO_DATA = Object.freeze({ agentName: '' }) as CriticalEventData['agent_started'];

/** A reused publish input set to one emitter's ids and one event (publishFor and publishNowFor share their spare). */
function fillInput<T extends CriticalEventType>(input: PublishEventInput, emitter: Emitter, type: T, data: CriticalEventData[T]): PublishEventInput<T> {
  input.userId = emitter.userId;
  input.threadId = emitter.threadId;
  input.runId = emitter.runId;
  input.type = type;
  input.data = data;
  input.runSlot = emitter;
  return input as PublishEventInput<T>;
}

const MAX_TRACKED_RUNS_PER_CONNECTION = 1000;
/** `ws` send options for UTF-8 bytes sent as a text frame (one shared object, not one per send). */
const TEXT_FRAME = Object.freeze({ binary: false });
const utf8 = new TextDecoder();
type Utf8Socket = SocketLike & { send(data: Uint8Array, options: { binary: boolean }): void };
const RESOLVED: Promise<unknown> = Promise.resolve();
/** The text argument of a write that sends a frame (never read: see deliverEvent). */
const NO_TEXT = new Uint8Array(0);
/** A replay to one socket pauses while the socket holds more than this share of maxBufferedBytes. */
const REPLAY_PACE_SHARE = 0.5;
/** A replay that could not write for this long (the client stopped reading) ends as a slow consumer. */
const REPLAY_STALL_MS = 30_000;

/**
 * One per process (or per server): holds the connections, owns the bus subscription per user,
 * enforces each run's lifecycle and owner, and fans frames out to sockets with a bounded queue.
 * Scoped managers (manager.ts) are thin views over a hub; the server registers sockets in it.
 */
export class ConnectionHub {
  readonly bus: Bus;
  readonly maxBufferedBytes: number;
  private readonly ownsBus: boolean;
  private readonly maxRuns: number;
  private readonly onSlowConsumer: ConnectionHubOptions['onSlowConsumer'];
  private readonly coalescer: WriteCoalescer | undefined;
  private readonly connections = new Map<string, ConnectionState>();
  // userId → its connection's state, or a Set of them from the second tab on (most users hold
  // one socket: a bare entry costs no hash table per connection, and delivery needs no second lookup).
  private readonly byUser = new Map<string, ConnectionState | Set<ConnectionState>>();
  private readonly bySocket = new Map<SocketLike, string>();
  /**
   * The unsubscribe function per subscribed user, for a bus without `unsubscribe` only (a user is
   * subscribed exactly while byUser has them).
   */
  private readonly subscriptions = new Map<string, () => void>();
  /** One bus listener for every user (deliveries name their user), not a closure per user. */
  private readonly onDelivery = (delivery: BusDelivery): number => this.deliverLocal(delivery);
  /**
   * Every run this hub remembers, open and completed (one lookup either way). Open ones are
   * bounded by maxRuns through a second-chance clock over `openOrder` (creation order); completed
   * ones by maxRuns too, oldest completion first (`endedOrder`, or `endedRecords` on the hub's own
   * store): a completed run stays, so an emit after agent_completed is refused, but never crowds out
   * the open ones.
   */
  private readonly runs = new Map<string, RunState>();
  /**
   * The replay store of the memory bus this hub made (and alone uses): then a run's state rides on the
   * store's record of the run (RunCompanion) and `runs` stays empty — one lookup by run id per new run
   * instead of one in each map, and no insert or delete in a second map.
   */
  private readonly store: ReplayBuffer | undefined;
  private readonly openOrder = new Fifo<RunState>();
  /** Completed runs, oldest completion first: their states (on a passed bus), or (on the hub's own store) their records. */
  private readonly endedOrder = new Fifo<RunState>();
  private readonly endedRecords = new Fifo<RunCompanion>();
  private openRuns = 0;
  /** Bumped whenever byUser changes (a socket added or removed): what RunState.states is checked against. */
  private connectionsVersion = 0;
  /** The run whose emit is being published (the in-memory bus delivers during the call). */
  private emitting: RunState | undefined;
  private closed = false;
  /** The input publishFor reuses on the hub's own memory bus (undefined while one is in use). */
  private spareInput: PublishEventInput | undefined = { userId: '', threadId: '', runId: '', type: 'agent_started', data: { agentName: '' }, runSlot: undefined, noEnvelope: false };
  private readonly counters = { framesSent: 0, slowConsumerCloses: 0, confirmed: 0, failed: 0 };

  constructor(options: ConnectionHubOptions = {}) {
    this.ownsBus = options.bus === undefined;
    if (options.bus === undefined) {
      const own = createMemoryBus(options.replay ? { replay: options.replay } : {});
      this.bus = own;
      this.store = own.buffer;
    } else {
      this.bus = options.bus;
      this.store = undefined;
    }
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.maxRuns = options.maxRuns ?? 10_000;
    this.onSlowConsumer = options.onSlowConsumer;
    const timing = options.coalesceWrites ?? 'off';
    if (timing !== 'off' && timing !== 'tick' && timing !== 'immediate') throw new TypeError(`coalesceWrites must be 'off', 'tick' or 'immediate', not ${String(timing)}`);
    this.coalescer = timing === 'off' ? undefined : new WriteCoalescer(timing);
  }

  // ---- connections -------------------------------------------------------------------

  addConnection(connection: WebSocketConnection): void {
    this.assertOpen();
    assertValidId('connectionId', connection.connectionId);
    assertValidId('userId', connection.userId);
    if (connection.threadId !== undefined) assertValidId('threadId', connection.threadId);
    if (!connection.socket || typeof connection.socket.send !== 'function') {
      throw new InvalidContextError('socket', 'must have a send(data) method');
    }
    if (this.connections.has(connection.connectionId)) throw new DuplicateConnectionError(connection.connectionId);
    const state: ConnectionState = {
      connection,
      socket: connection.socket,
      userId: connection.userId,
      utf8Bytes: connection.utf8Bytes === true,
      wsFrames: connection.wsFrames === true,
      lastSentRun: undefined,
      lastSentSeq: 0,
      sent: undefined,
      confirmed: 0,
      failed: 0,
    };
    this.connectionsVersion++;
    this.connections.set(connection.connectionId, state);
    this.bySocket.set(connection.socket, connection.connectionId);
    const states = this.byUser.get(connection.userId);
    if (states === undefined) {
      this.byUser.set(connection.userId, state);
      // The user's first socket here: subscribe. A bus that can unsubscribe by (user, listener)
      // leaves the hub nothing to keep per user.
      const unsubscribe = this.bus.subscribe(connection.userId, this.onDelivery);
      if (this.bus.unsubscribe === undefined) this.subscriptions.set(connection.userId, unsubscribe);
    } else if (states instanceof Set) states.add(state);
    else this.byUser.set(connection.userId, new Set([states, state]));
  }

  /** Idempotent: removing an unknown id does nothing. */
  removeConnection(connectionId: string): WebSocketConnection | undefined {
    const state = this.connections.get(connectionId);
    if (!state) return undefined;
    const { connection } = state;
    this.connectionsVersion++;
    this.connections.delete(connectionId);
    if (this.bySocket.get(connection.socket) === connectionId) this.bySocket.delete(connection.socket);
    const states = this.byUser.get(connection.userId);
    let last = false;
    if (states === state) last = true;
    else if (states instanceof Set) {
      states.delete(state);
      if (states.size === 1) this.byUser.set(connection.userId, states.values().next().value!);
      last = states.size === 0;
    }
    if (last) {
      this.byUser.delete(connection.userId);
      if (this.bus.unsubscribe !== undefined) this.bus.unsubscribe(connection.userId, this.onDelivery);
      else {
        this.subscriptions.get(connection.userId)?.();
        this.subscriptions.delete(connection.userId);
      }
    }
    return connection;
  }

  getConnection(connectionId: string): WebSocketConnection | undefined {
    return this.connections.get(connectionId)?.connection;
  }

  getUserConnections(userId: string): Set<string> {
    return new Set(this.idsOf(userId));
  }

  getConnectionIdBySocket(socket: SocketLike): string | undefined {
    return this.bySocket.get(socket);
  }

  updateConnectionThread(connectionId: string, threadId: string): boolean {
    assertValidId('threadId', threadId);
    const state = this.connections.get(connectionId);
    if (!state) return false;
    state.connection.threadId = threadId;
    return true;
  }

  isConnectionActive(userId: string): boolean {
    for (const s of this.statesOf(userId)) if (isOpen(s.connection.socket)) return true;
    return false;
  }

  getConnectionHealth(userId: string): ConnectionHealth {
    const entries = [...this.statesOf(userId)].flatMap((s) => {
      const id = s.connection.connectionId;
      return [
        {
          connectionId: id,
          active: isOpen(s.connection.socket),
          connectedAt: s.connection.connectedAt.toISOString(),
          threadId: s.connection.threadId ?? null,
          confirmations: { confirmed: s.confirmed, failed: s.failed },
        },
      ];
    });
    const active = entries.filter((e) => e.active).length;
    return { userId, totalConnections: entries.length, activeConnections: active, hasActiveConnections: active > 0, connections: entries };
  }

  // ---- sending -----------------------------------------------------------------------

  /**
   * Sequences, stores and delivers one critical event of a run. Checks the event's fields,
   * that the run belongs to `userId` and stays in its thread, and the run's lifecycle.
   * On the in-memory bus this all happens before it returns (the returned promise is already
   * settled); on an async bus the emits of one run are chained so they keep their call order.
   */
  publishEvent<T extends CriticalEventType>(input: PublishEventInput<T>, cache?: EmitCache): Promise<EventEnvelope<T>> {
    // Not `async`: an async wrapper would cost extra ticks per event. Every refusal still
    // arrives as a rejection, never a synchronous throw.
    try {
      this.assertOpen();
      // The fields now; the bus serialises the event once (an async bus at once, in publishEvent,
      // so later changes by the caller cannot alter what is sent).
      checkEventFields(input.type, input.data);
      // A cached run was checked (owner, thread) when it was cached for this same run and context.
      let run = cache?.run as RunState | undefined;
      if (run === undefined || run.retired || run.runId !== input.runId || run.userId !== input.userId || run.threadId !== input.threadId) {
        run = this.runFor(input.userId, input.threadId, input.runId);
        if (cache) cache.run = run;
      } else {
        run.ref = true;
      }
      if (run.pending === 0) {
        // The usual case (an agent awaits each emit): no emit of this run in flight, go now.
        // checkEventFields ran above, in this same call: the bus may trust the data's keys.
        // An asynchronous bus's emit is counted in flight and made the run's tail by emitInRun itself
        // (tracked: one `.then` per event for the apply and the count, not two).
        const out = this.emitInRun(run, input, true, true);
        // The hub's own memory bus answers synchronously: no thenable test of the envelope (a `then`
        // lookup on objects of as many shapes as there are data shapes — megamorphic, per event).
        if (this.store !== undefined) return Promise.resolve(out as EventEnvelope<T>);
        return isThenable(out) ? out : Promise.resolve(out);
      }
      // Queued behind the run's emit in flight (an async bus): a JSON copy of the data now, so
      // what is sent is the data as it was at the call — the same JSON, whatever changes later.
      const queued = { ...input, data: JSON.parse(serialiseEventData(input.type, input.data)) as typeof input.data };
      const go = () => this.emitInRun(run, queued, false);
      return this.track(run, run.tail.then(go, go));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * @internal publishEvent for a scoped manager (its ids, its cache). On the hub's own memory bus the
   * bus reads the input within the call and keeps nothing of it, so one input object is reused for
   * every such emit instead of one made per event (a reentrant emit — from a delivery's callback —
   * gets one of its own). Anywhere else, publishEvent with a fresh input.
   */
  publishFor<T extends CriticalEventType>(emitter: Emitter, type: T, data: CriticalEventData[T]): Promise<EventEnvelope<T>> {
    const input = this.store !== undefined ? this.spareInput : undefined;
    if (input === undefined) return this.publishEvent({ userId: emitter.userId, threadId: emitter.threadId, runId: emitter.runId, type, data, runSlot: emitter }, emitter);
    this.spareInput = undefined;
    const out = this.publishEvent(fillInput(input, emitter, type, data), emitter);
    input.data = NO_DATA; // the caller's data and manager are not kept past the call
    input.runSlot = undefined;
    this.spareInput = input;
    return out;
  }

  /**
   * @internal emitNow for a scoped manager. On the hub's own memory bus: publishEvent's synchronous
   * path with no promise and no envelope object — validated, sequenced, stored and written before it
   * returns undefined; a refusal is thrown. Anywhere else (an asynchronous bus, or an emit of the
   * run still in flight): publishFor's promise — after the same checks at the call, so what the hub
   * itself refuses (a closed hub, the event's fields, the run's owner and thread as this hub knows
   * them, its lifecycle when no emit of it is in flight) is thrown on every bus alike; only what the
   * bus decides later (Redis's owner check, an outage) or what waits behind an emit in flight rejects.
   */
  publishNowFor<T extends CriticalEventType>(emitter: Emitter, type: T, data: CriticalEventData[T]): Promise<EventEnvelope<T>> | undefined {
    this.assertOpen();
    checkEventFields(type, data);
    let run = emitter.run as RunState | undefined;
    if (run === undefined || run.retired || run.runId !== emitter.runId || run.userId !== emitter.userId || run.threadId !== emitter.threadId) {
      run = this.runFor(emitter.userId, emitter.threadId, emitter.runId);
      emitter.run = run;
    } else {
      run.ref = true;
    }
    // Only an asynchronous bus leaves an emit in flight; kept as publishEvent has it, should one be.
    if (run.pending !== 0) return this.publishFor(emitter, type, data);
    if (this.store === undefined) {
      run.check(type, data); // does not change the run: publishEvent checks (and applies) it again in turn
      return this.publishFor(emitter, type, data);
    }
    // The spare input, as publishFor; a reentrant emit (from a delivery's callback) gets its own.
    const spare = this.spareInput;
    this.spareInput = undefined;
    const input = spare ?? { userId: '', threadId: '', runId: '', type: 'agent_started', data: NO_DATA, runSlot: undefined, noEnvelope: false };
    fillInput(input, emitter, type, data).noEnvelope = true;
    try {
      this.emitInRun(run, input as PublishEventInput<T>, true);
    } finally {
      if (spare !== undefined) {
        spare.data = NO_DATA; // the caller's data and manager are not kept past the call
        spare.runSlot = undefined;
        spare.noEnvelope = false;
        this.spareInput = spare;
      }
    }
    return undefined;
  }

  /**
   * check → sequence, store and deliver (bus) → apply, for one emit whose turn it is. `tracked`: an
   * asynchronous bus's emit is counted in flight (run.pending) and made the run's tail here, as
   * track() does for an emit queued behind another.
   */
  private emitInRun<T extends CriticalEventType>(run: RunState, input: PublishEventInput<T>, dataChecked: boolean, tracked = false): MaybePromise<EventEnvelope<T>> {
    const { type, data } = input;
    run.check(type, data);
    // Lets deliverLocal take the user's sockets from the run (a stale value is harmless: it is
    // only used for this run's user, at the version it was read).
    this.emitting = run;
    const out = this.bus.publishEvent(input, dataChecked);
    this.emitting = undefined;
    if (this.store !== undefined || !isThenable(out)) {
      const envelope = out as EventEnvelope<T>;
      const store = this.store;
      if (store !== undefined) {
        // The record the store just appended to carries this state (a new run's first event made it).
        const rec = store.lastRun!;
        if (rec.companion !== run) {
          rec.companion = run;
          run.rec = rec;
        }
      }
      run.apply(type, data);
      if (type === 'agent_completed') this.runEnded(run);
      return envelope;
    }
    if (!tracked) {
      return out.then((envelope) => {
        run.apply(type, data);
        if (type === 'agent_completed') this.runEnded(run);
        return envelope;
      });
    }
    run.pending++;
    run.flightType = type;
    run.flightData = data;
    const task = out.then(
      (run.settled ??= (envelope) => {
        run.pending--;
        const t = run.flightType;
        const d = run.flightData as CriticalEventData[typeof t];
        run.flightData = undefined; // the caller's data is not kept past the emit
        run.apply(t, d);
        if (t === 'agent_completed') this.runEnded(run);
        return envelope;
      }),
      (run.failed ??= (err: unknown) => {
        run.pending--;
        run.flightData = undefined;
        throw err;
      }),
    ) as Promise<EventEnvelope<T>>;
    run.tail = task;
    return task;
  }

  /** Counts an emit in flight until it settles, and makes it the run's tail. */
  private track<T>(run: RunState, task: Promise<T>): Promise<T> {
    run.pending++;
    const done = () => {
      run.pending--;
    };
    task.then(done, done);
    run.tail = task;
    return task;
  }

  /** Delivers an unsequenced JSON object to the user's sockets (all, or those bound to threadId). */
  async sendToUser(userId: string, message: OutboundMessage, options: { threadId?: string } = {}): Promise<number> {
    this.assertOpen();
    assertValidId('userId', userId);
    if (options.threadId !== undefined) assertValidId('threadId', options.threadId);
    validateOutbound(userId, message);
    return this.bus.publishToUser(userId, message, options);
  }

  /**
   * `sendToUser` without the promise layer: the bus's own result (a number from the in-memory
   * bus, a promise from an asynchronous one). For the privileged hub operations (privileged.ts).
   */
  publishMessage(userId: string, message: OutboundMessage, options: { threadId?: string } = {}): MaybePromise<number> {
    this.assertOpen();
    assertValidId('userId', userId);
    if (options.threadId !== undefined) assertValidId('threadId', options.threadId);
    validateOutbound(userId, message);
    return this.bus.publishToUser(userId, message, options);
  }

  /** Users with at least one socket registered in this hub. */
  connectedUsers(): IterableIterator<string> {
    return this.byUser.keys();
  }

  /** Where the user's stream stands for this hub's subscription (see Bus.position). */
  position(userId: string): MaybePromise<StreamPosition> {
    this.assertOpen();
    return this.bus.position(userId);
  }

  /** Everything in the user's stream after `from`, or an explicit gap (resume). */
  replayUser(userId: string, from: StreamPosition): MaybePromise<UserReplay> {
    this.assertOpen();
    return this.bus.replayUser(userId, from);
  }

  /** One run's stored frames after a seq, for its owner only (per-run refetch). */
  replay(userId: string, runId: string, afterSeq: number): MaybePromise<ReplayResult> {
    this.assertOpen();
    return this.bus.replay(userId, runId, afterSeq);
  }

  /**
   * Writes replayed frames to one connection (resume), as the bus hands them out (the bytes sent live), through
   * the same bounded send path as live frames. Paced: while the socket holds more than half of
   * maxBufferedBytes the replay waits for it to drain, so a large resume never trips the
   * slow-consumer bound by itself; a socket that stops reading for 30 s ends as a slow consumer.
   * Resolves with the number of frames written.
   */
  async replayTo(connectionId: string, frames: readonly StoredFrame[]): Promise<number> {
    const pace = this.maxBufferedBytes * REPLAY_PACE_SHARE;
    let n = 0;
    // A replay's frames are written in one synchronous stretch between paces: the socket stays
    // corked through it, so they leave as one writev (any coalescing mode; no frame waits longer).
    let corked: Corkable | undefined;
    const uncork = () => {
      corked?.uncork();
      corked = undefined;
    };
    try {
      for (const f of frames) {
        let state = this.connections.get(connectionId);
        if (!state) return n;
        if ((queuedBytes(state.connection.socket)) > pace) {
          uncork(); // what this replay holds counts as queued: let the kernel take it first
          const started = Date.now();
          let delay = 2;
          while ((queuedBytes(state.connection.socket)) > pace) {
            if (Date.now() - started > REPLAY_STALL_MS) {
              this.dropSlowConsumer(state, queuedBytes(state.connection.socket));
              return n;
            }
            await new Promise((r) => setTimeout(r, delay));
            delay = Math.min(delay * 2, 50);
            state = this.connections.get(connectionId);
            if (!state) return n;
          }
        }
        if (corked === undefined && state.wsFrames) {
          corked = corkableStreamOf(state.connection.socket);
          corked?.cork();
        }
        if (!this.write(state, f.text, f.runId, f.seq)) return n;
        n++;
      }
      return n;
    } finally {
      uncork();
    }
  }

  /** Writes one control frame (connection_established, error, replay_gap…) to one connection. */
  sendFrameTo(connectionId: string, frame: OutboundMessage): boolean {
    const state = this.connections.get(connectionId);
    return state ? this.write(state, JSON.stringify(frame)) : false;
  }

  /** Records a client's delivery confirmation; false if it names an event never sent to it. */
  confirm(connectionId: string, runId: string, seq: number, status: 'confirmed' | 'failed'): boolean {
    const state = this.connections.get(connectionId);
    if (!state) return false;
    if (!(runId === state.lastSentRun && seq <= state.lastSentSeq) && !sentBefore(state.sent, runId, seq)) return false;
    if (status === 'confirmed') {
      state.confirmed++;
      this.counters.confirmed++;
    } else {
      state.failed++;
      this.counters.failed++;
    }
    return true;
  }

  /** Lifecycle phase of a run known to this hub, for health reports and tests. */
  runPhase(runId: string): RunLifecycle['state'] | undefined {
    return this.knownRun(runId)?.state;
  }

  stats(): HubStats {
    return {
      connections: this.connections.size,
      users: this.byUser.size,
      runs: this.store !== undefined ? this.openRuns + this.endedRecords.size : this.runs.size,
      framesSent: this.counters.framesSent,
      slowConsumerCloses: this.counters.slowConsumerCloses,
      confirmations: { confirmed: this.counters.confirmed, failed: this.counters.failed },
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes every socket with 1001, drops all state, and closes the bus if the hub created it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.connections.keys()]) {
      const c = this.removeConnection(id);
      try {
        c?.socket.close?.(CLOSE_CODES.GOING_AWAY.code, 'server shutting down');
      } catch {
        // already closed
      }
    }
    this.coalescer?.flush(); // the close frames, and anything written before them, leave now
    // every run the hub remembers is in one of the two orders: forgetting them empties `runs` too
    for (let r = this.openOrder.shift(); r !== undefined; r = this.openOrder.shift()) this.forget(r);
    for (let r = this.endedOrder.shift(); r !== undefined; r = this.endedOrder.shift()) this.forget(r);
    for (let rec = this.endedRecords.shift(); rec !== undefined; rec = this.endedRecords.shift()) forgetCompleted(rec);
    for (const r of this.runs.values()) r.retired = true; // none left unless a run was in neither order
    this.runs.clear();
    this.openRuns = 0;
    if (this.ownsBus) await this.bus.close();
  }

  // ---- internals ---------------------------------------------------------------------

  /**
   * The state of a run this hub remembers (not forgotten), if any. A completed run on the hub's own
   * store is its record marked COMPLETED: it gets a state made for the occasion (completed, retired so
   * no caller keeps using it), which refuses every emit as the run's own state did.
   */
  private knownRun(runId: string): RunState | undefined {
    if (this.store === undefined) return this.runs.get(runId);
    const rec = this.store.companionOf(runId);
    const held = rec?.companion;
    if (held === COMPLETED) return completedState(runId, rec!);
    return held !== undefined && !(held as RunState).retired ? (held as RunState) : undefined;
  }

  /** Forgets a run: a cached reference to it is stale from now on, and its id is free for a new state. */
  private forget(run: RunState): void {
    if (run.retired) return;
    run.retired = true;
    if (this.store === undefined) this.runs.delete(run.runId);
    else if (run.rec !== undefined && run.rec.companion === run) run.rec.companion = undefined;
  }

  private runFor(userId: string, threadId: string, runId: string): RunState {
    let run = this.knownRun(runId);
    if (run) {
      if (run.userId !== userId) throw new CrossUserAccessError(userId, run.userId, `emit into run "${runId}" owned by`);
      if (run.threadId !== threadId) {
        throw new InvalidContextError('threadId', `run "${runId}" belongs to thread "${run.threadId}", not "${threadId}"`);
      }
      run.ref = true;
      return run;
    }
    run = new RunState(runId, userId, threadId);
    // On the hub's own store the state is attached to the store's record once the first event is appended.
    if (this.store === undefined) this.runs.set(runId, run);
    this.openOrder.push(run);
    this.openRuns++;
    if (this.openRuns > this.maxRuns) this.evictOpenRun();
    // Completed runs leave husks in openOrder; sweep them once they outnumber the open runs. Soon (a
    // small constant): a husk keeps its state alive, and a state that outlives two scavenges is
    // promoted to the old space — what the collector then marks and sweeps (see runEnded).
    else if (this.openOrder.size > 2 * this.openRuns + 16) this.openOrder.filter((r) => !r.ended && !r.retired);
    return run;
  }

  /** After agent_completed: the run counts as completed (bounded on its own, oldest first). */
  private runEnded(run: RunState): void {
    if (run.ended || run.retired) return;
    run.ended = true;
    this.openRuns--;
    const rec = run.rec;
    if (this.store !== undefined && rec !== undefined && rec.companion === run) {
      // On the hub's own store a completed run is its record marked COMPLETED (the record stays for
      // resume anyway): the state itself is let go now instead of living on for maxRuns more
      // completions (~140 bytes of live heap per run). Retired, so a manager that cached it looks the
      // run up again (knownRun), as after forget.
      rec.companion = COMPLETED;
      run.retired = true;
      this.endedRecords.push(rec);
      if (this.endedRecords.size > this.maxRuns) forgetCompleted(this.endedRecords.shift()!);
      return;
    }
    this.endedOrder.push(run);
    if (this.endedOrder.size > this.maxRuns) {
      // A run not retired is still the map's entry (or the store record's companion) for its id: every
      // removal retires the run, and a new state for an id is made only once there is none.
      this.forget(this.endedOrder.shift()!);
    }
  }

  /**
   * Beyond maxRuns open runs, one is forgotten: a second-chance clock over insertion order (a run
   * used since it was last passed over is spared once, no Map re-insertion per emit), and never
   * one with an emit in flight (its chain would lose its order).
   */
  private evictOpenRun(): void {
    for (let passes = 0; passes <= 2 * this.openOrder.size; passes++) {
      const run = this.openOrder.shift();
      if (run === undefined) return;
      if (run.ended || run.retired) continue; // completed meanwhile
      if (run.pending === 0 && !run.ref) {
        this.forget(run);
        this.openRuns--;
        return;
      }
      run.ref = false;
      this.openOrder.push(run);
    }
  }

  private idsOf(userId: string): Iterable<string> {
    return [...this.statesOf(userId)].map((s) => s.connection.connectionId);
  }

  private statesOf(userId: string): Iterable<ConnectionState> {
    const states = this.byUser.get(userId);
    return states === undefined ? [] : states instanceof Set ? states : [states];
  }

  private deliverLocal(delivery: BusDelivery): number {
    const states = this.socketsOf(delivery.userId);
    if (states === undefined) return 0;
    if (delivery.kind === 'event') {
      // The bus's frame text, written as is to every socket of the user.
      if (!(states instanceof Set)) return this.deliverEvent(states, delivery) ? 1 : 0;
      let count = 0;
      // A Set tolerates deletion while iterated (a slow consumer is unregistered mid-loop).
      for (const state of states) if (this.deliverEvent(state, delivery)) count++;
      return count;
    }
    const json = JSON.stringify(delivery.message); // once per delivery, the same string to every socket
    if (!(states instanceof Set)) return this.deliverMessage(states, delivery, json) ? 1 : 0;
    let count = 0;
    for (const state of states) if (this.deliverMessage(state, delivery, json)) count++;
    return count;
  }

  /** byUser's entry for a user; during an emit, the emitting run's cached copy of it when still current. */
  private socketsOf(userId: string): ConnectionState | Set<ConnectionState> | undefined {
    const run = this.emitting;
    if (run === undefined || run.userId !== userId) return this.byUser.get(userId);
    if (run.statesVersion !== this.connectionsVersion) {
      run.states = this.byUser.get(userId);
      run.statesVersion = this.connectionsVersion;
    }
    return run.states;
  }

  private deliverEvent(state: ConnectionState, delivery: Extract<BusDelivery, { kind: 'event' }>): boolean {
    if (state.userId !== delivery.userId) return false; // never cross users
    // A socket that takes bytes is sent the frame (write never reads the text then): the text — a
    // getter on the memory bus's delivery — is not made.
    const frame = delivery.frame;
    if (frame !== undefined && state.utf8Bytes) return this.write(state, NO_TEXT, delivery.runId, delivery.seq, frame);
    // `string` read once: on the memory bus it is a getter that decodes the frame each time
    const text = state.utf8Bytes ? delivery.text : (delivery.string ?? delivery.text);
    return this.write(state, text, delivery.runId, delivery.seq, frame);
  }

  private deliverMessage(state: ConnectionState, delivery: Extract<BusDelivery, { kind: 'message' }>, json: string): boolean {
    if (state.userId !== delivery.userId) return false;
    if (delivery.threadId !== undefined && state.connection.threadId !== delivery.threadId) return false;
    return this.write(state, json);
  }

  /** The one place a frame reaches a socket: open check, queue bound, error isolation. */
  private write(state: ConnectionState, text: FrameText, runId?: string, seq?: number, frame?: Uint8Array): boolean {
    const socket = state.socket;
    if (!isOpen(socket)) return false;
    let buffered = queuedBytes(socket);
    const out = this.coalescer !== undefined && state.wsFrames ? corkableStreamOf(socket) : undefined;
    if (buffered > this.maxBufferedBytes) {
      // Bytes this hub holds corked count as queued; hand them to the kernel before judging the client.
      if (out !== undefined && this.coalescer!.release(out)) buffered = queuedBytes(socket);
      if (buffered > this.maxBufferedBytes) {
        this.dropSlowConsumer(state, buffered);
        return false;
      }
    }
    try {
      if (out !== undefined) this.coalescer!.hold(out);
      if (frame !== undefined && state.wsFrames && sendPreEncoded(socket, frame)) {
        // sent: the pre-encoded frame as one buffer
      } else if (frame !== undefined && state.utf8Bytes) (socket as Utf8Socket).send(framePayload(frame), TEXT_FRAME);
      else if (typeof text === 'string') socket.send(text);
      else if (state.utf8Bytes) (socket as Utf8Socket).send(text, TEXT_FRAME);
      else socket.send(utf8.decode(text));
    } catch {
      return false;
    }
    this.counters.framesSent++;
    if (runId !== undefined) this.noteSent(state, runId, seq!);
    return true;
  }

  private noteSent(state: ConnectionState, runId: string, seq: number): void {
    if (runId === state.lastSentRun) {
      if (seq > state.lastSentSeq) state.lastSentSeq = seq;
      return;
    }
    // Another run: park the previous one in the ring (the oldest entry goes beyond the bound).
    const previous = state.lastSentRun;
    if (previous !== undefined) {
      let ring = state.sent;
      if (ring === undefined) state.sent = ring = { runs: [], seqs: [], next: 0 };
      const i = ring.next;
      if (i < ring.runs.length) {
        ring.runs[i] = previous;
        ring.seqs[i] = state.lastSentSeq;
      } else {
        ring.runs.push(previous);
        ring.seqs.push(state.lastSentSeq);
      }
      ring.next = i + 1 === MAX_TRACKED_RUNS_PER_CONNECTION ? 0 : i + 1;
    }
    state.lastSentRun = runId;
    state.lastSentSeq = seq;
  }

  private dropSlowConsumer(state: ConnectionState, buffered: number): void {
    const { connection } = state;
    this.removeConnection(connection.connectionId);
    this.counters.slowConsumerCloses++;
    try {
      connection.socket.close?.(CLOSE_CODES.SLOW_CONSUMER.code, 'slow consumer: send queue limit exceeded');
    } catch {
      // closing an already-broken socket
    }
    try {
      this.onSlowConsumer?.(connection, buffered);
    } catch {
      // observer errors never affect delivery
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new HubClosedError();
  }
}

/** A store record's companion once its run completed (see ConnectionHub.runEnded). */
const COMPLETED: unknown = Object.freeze({ completed: true });

/** A completed run's state, made from its store record when the run is looked up (rare: an emit after completion, runPhase). */
function completedState(runId: string, rec: RunCompanion): RunState {
  const run = new RunState(runId, rec.userId, rec.threadId);
  run.apply('agent_completed', {} as CriticalEventData['agent_completed']);
  run.ended = true;
  run.retired = true;
  return run;
}

/** Forgets a completed run kept as its store record (its id is free for a new state), unless the record moved on. */
function forgetCompleted(rec: RunCompanion): void {
  if (rec.companion === COMPLETED) rec.companion = undefined;
}

/** True if the ring holds `runId` with a seq of at least `seq`. */
function sentBefore(ring: SentRuns | undefined, runId: string, seq: number): boolean {
  if (ring === undefined) return false;
  for (let i = 0; i < ring.runs.length; i++) if (ring.runs[i] === runId && ring.seqs[i]! >= seq) return true;
  return false;
}

function isOpen(socket: SocketLike): boolean {
  return socket.readyState === undefined || socket.readyState === OPEN;
}

/** Messages must be JSON objects and may not impersonate an event or name another user as recipient. */
function validateOutbound(userId: string, message: unknown): asserts message is OutboundMessage {
  if (!isPlainObject(message)) throw new InvalidMessageError('must be a plain JSON object');
  if (isCriticalEventType(message.type)) {
    throw new InvalidMessageError(`type "${String(message.type)}" is a critical event: use emit()/emitCriticalEvent() so it is sequenced and replayable`);
  }
  for (const [key, value] of Object.entries(message)) {
    if ((key === 'userId' || key === 'user_id') && value !== userId) {
      throw new CrossUserAccessError(userId, String(value), 'send a message carrying');
    }
  }
  try {
    JSON.stringify(message);
  } catch (err) {
    throw new InvalidMessageError(`not JSON-serialisable (${(err as Error).message})`);
  }
}

/**
 * Where the process-wide hub lives: on `globalThis` under a registered symbol, not in a module
 * variable, so every copy of this module in the process shares it. A process can hold two copies:
 * a loader that keeps its own CommonJS graph beside the ES one (tsx: `require()` and `import` of
 * the package give two instances), or a framework that bundles routes separately (Next.js pages
 * and app routes). With a module variable each copy had its own hub: sockets registered through
 * one were unknown to a send through the other, which delivered to no one (found on a Next.js
 * monorepo whose legacy registry sat on `globalThis` for exactly this reason).
 */
const DEFAULT_HUB = Symbol.for('ssot-migrate.canonical.defaultHub');
const slot = globalThis as { [DEFAULT_HUB]?: ConnectionHub | undefined };

/** The process-wide hub (in-memory bus) used when no hub is passed; created on first use, shared by every copy of the package in the process. */
export function getDefaultHub(): ConnectionHub {
  const hub = slot[DEFAULT_HUB];
  if (hub && !hub.isClosed) return hub;
  return (slot[DEFAULT_HUB] = new ConnectionHub());
}

/** Replaces the process-wide hub (e.g. one on a Redis bus, at startup). Returns the previous one. */
export function setDefaultHub(hub: ConnectionHub | undefined): ConnectionHub | undefined {
  const previous = slot[DEFAULT_HUB];
  slot[DEFAULT_HUB] = hub;
  return previous;
}

export function createConnectionHub(options?: ConnectionHubOptions): ConnectionHub {
  return new ConnectionHub(options);
}
