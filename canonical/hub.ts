import { assertValidId } from './context.js';
import { CLOSE_CODES } from './close-codes.js';
import { CrossUserAccessError, DuplicateConnectionError, HubClosedError, InvalidContextError, InvalidMessageError } from './errors.js';
import { isCriticalEventType, isPlainObject, serialiseEventData } from './events.js';
import type { CriticalEventType, EventEnvelope } from './events.js';
import { RunLifecycle } from './lifecycle.js';
import type { ConnectionHealth, OutboundMessage, SocketLike, WebSocketConnection } from './protocol.js';
import { createMemoryBus } from './bus/memory.js';
import type { MemoryBusOptions } from './bus/memory.js';
import type { Bus, BusDelivery, PublishEventInput, ReplayResult } from './bus/types.js';

const OPEN = 1;

export interface ConnectionHubOptions {
  /** Shared bus; default: a new in-memory bus owned (and closed) by this hub. */
  bus?: Bus;
  /** Replay buffer settings for the default in-memory bus. */
  replay?: MemoryBusOptions['replay'];
  /**
   * Per-socket send-queue bound in bytes (ws `bufferedAmount`). A socket already holding more
   * than this is closed with 4408 (slow consumer) instead of queueing more. Default 1 MiB.
   */
  maxBufferedBytes?: number;
  /** Runs whose lifecycle this hub remembers (LRU beyond it). Default 10 000. */
  maxRuns?: number;
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

interface ConnectionState {
  connection: WebSocketConnection;
  /**
   * Highest seq written to this socket per run: confirmations above it are refused. Created on
   * the first event (an idle socket keeps no table), LRU-bounded per connection.
   */
  sent: Map<string, number> | undefined;
  /** The last key inserted into `sent`. */
  lastSentRun: string | undefined;
  confirmed: number;
  failed: number;
}

interface RunState {
  userId: string;
  threadId: string;
  lifecycle: RunLifecycle;
  /** Emits of one run are serialised so check → seq → apply happen in call order. */
  tail: Promise<unknown>;
  /** Emits of this run called and not yet settled; 0 = the next one may start at once. */
  pending: number;
}

const MAX_TRACKED_RUNS_PER_CONNECTION = 1000;
const RESOLVED: Promise<unknown> = Promise.resolve();

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
  private readonly connections = new Map<string, ConnectionState>();
  // userId → its connection id, or a Set of them from the second tab on (most users hold one
  // socket: a bare string costs no hash table per connection).
  private readonly byUser = new Map<string, string | Set<string>>();
  private readonly bySocket = new Map<SocketLike, string>();
  private readonly subscriptions = new Map<string, () => void>();
  /** One bus listener for every user (deliveries name their user), not a closure per user. */
  private readonly onDelivery = (delivery: BusDelivery): number => this.deliverLocal(delivery);
  private readonly runs = new Map<string, RunState>();
  /** The last key inserted into `runs`. */
  private lastRunId: string | undefined;
  private closed = false;
  private readonly counters = { framesSent: 0, slowConsumerCloses: 0, confirmed: 0, failed: 0 };

  constructor(options: ConnectionHubOptions = {}) {
    this.ownsBus = options.bus === undefined;
    this.bus = options.bus ?? createMemoryBus(options.replay ? { replay: options.replay } : {});
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.maxRuns = options.maxRuns ?? 10_000;
    this.onSlowConsumer = options.onSlowConsumer;
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
    this.connections.set(connection.connectionId, { connection, sent: undefined, lastSentRun: undefined, confirmed: 0, failed: 0 });
    this.bySocket.set(connection.socket, connection.connectionId);
    const ids = this.byUser.get(connection.userId);
    if (ids === undefined) this.byUser.set(connection.userId, connection.connectionId);
    else if (typeof ids === 'string') this.byUser.set(connection.userId, new Set([ids, connection.connectionId]));
    else ids.add(connection.connectionId);
    if (!this.subscriptions.has(connection.userId)) {
      this.subscriptions.set(connection.userId, this.bus.subscribe(connection.userId, this.onDelivery));
    }
  }

  /** Idempotent: removing an unknown id does nothing. */
  removeConnection(connectionId: string): WebSocketConnection | undefined {
    const state = this.connections.get(connectionId);
    if (!state) return undefined;
    const { connection } = state;
    this.connections.delete(connectionId);
    if (this.bySocket.get(connection.socket) === connectionId) this.bySocket.delete(connection.socket);
    const ids = this.byUser.get(connection.userId);
    let last = false;
    if (ids === connectionId) last = true;
    else if (typeof ids === 'object') {
      ids.delete(connectionId);
      if (ids.size === 1) this.byUser.set(connection.userId, ids.values().next().value!);
      last = ids.size === 0;
    }
    if (last) {
      this.byUser.delete(connection.userId);
      this.subscriptions.get(connection.userId)?.();
      this.subscriptions.delete(connection.userId);
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
    for (const id of this.idsOf(userId)) {
      const c = this.connections.get(id);
      if (c && isOpen(c.connection.socket)) return true;
    }
    return false;
  }

  getConnectionHealth(userId: string): ConnectionHealth {
    const entries = [...this.idsOf(userId)].flatMap((id) => {
      const s = this.connections.get(id);
      if (!s) return [];
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
   */
  publishEvent<T extends CriticalEventType>(input: Omit<PublishEventInput<T>, 'dataJson'>): Promise<EventEnvelope<T>> {
    // Not `async`: an async wrapper around the returned task costs extra ticks per event.
    // Every refusal still arrives as a rejection, never a synchronous throw.
    try {
      return this.startEmit(input);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private startEmit<T extends CriticalEventType>(input: Omit<PublishEventInput<T>, 'dataJson'>): Promise<EventEnvelope<T>> {
    this.assertOpen();
    // Validates and serialises the data once, now: later changes by the caller cannot alter
    // what is sent, and the bus splices this JSON into the envelope's.
    const dataJson = serialiseEventData(input.type, input.data);
    const run = this.runFor(input.userId, input.threadId, input.runId);
    // No emit of this run in flight (the usual case: an agent awaits each emit): start now,
    // without a hop through the chain. Otherwise queue behind the previous emit.
    run.pending++;
    const task: Promise<EventEnvelope<T>> =
      run.pending === 1
        ? this.emitInRun(run, input, dataJson)
        : run.tail.then(
            () => this.emitInRun(run, input, dataJson),
            () => this.emitInRun(run, input, dataJson),
          );
    run.tail = task;
    return task;
  }

  /** check → sequence, store and deliver (bus) → apply, for one emit whose turn it is. */
  private async emitInRun<T extends CriticalEventType>(
    run: RunState,
    input: Omit<PublishEventInput<T>, 'dataJson'>,
    dataJson: string,
  ): Promise<EventEnvelope<T>> {
    try {
      run.lifecycle.check(input.type, input.data);
      const envelope = await this.bus.publishEvent({ userId: input.userId, threadId: input.threadId, runId: input.runId, type: input.type, data: input.data, dataJson });
      run.lifecycle.apply(input.type, input.data);
      return envelope;
    } finally {
      run.pending--;
    }
  }

  /** Delivers an unsequenced JSON object to the user's sockets (all, or those bound to threadId). */
  async sendToUser(userId: string, message: OutboundMessage, options: { threadId?: string } = {}): Promise<number> {
    this.assertOpen();
    assertValidId('userId', userId);
    if (options.threadId !== undefined) assertValidId('threadId', options.threadId);
    validateOutbound(userId, message);
    return this.bus.publishToUser(userId, message, options);
  }

  replay(userId: string, runId: string, afterSeq: number): Promise<ReplayResult> {
    this.assertOpen();
    return this.bus.replay(userId, runId, afterSeq);
  }

  /**
   * Writes replayed envelopes to one connection (resume). Goes through the same bounded
   * send path as live frames, so a slow resumer is bounded too.
   */
  sendEnvelopesTo(connectionId: string, envelopes: readonly EventEnvelope[]): number {
    const state = this.connections.get(connectionId);
    if (!state) return 0;
    let n = 0;
    for (const e of envelopes) {
      if (e.userId !== state.connection.userId) continue; // never cross users, even on replay
      if (!this.write(state, JSON.stringify(e), e)) break;
      n++;
    }
    return n;
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
    const sent = state.sent?.get(runId);
    if (sent === undefined || seq > sent) return false;
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
    return this.runs.get(runId)?.lifecycle.state;
  }

  stats(): HubStats {
    return {
      connections: this.connections.size,
      users: this.byUser.size,
      runs: this.runs.size,
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
    this.runs.clear();
    this.lastRunId = undefined;
    if (this.ownsBus) await this.bus.close();
  }

  // ---- internals ---------------------------------------------------------------------

  private runFor(userId: string, threadId: string, runId: string): RunState {
    let run = this.runs.get(runId);
    if (run) {
      if (run.userId !== userId) throw new CrossUserAccessError(userId, run.userId, `emit into run "${runId}" owned by`);
      if (run.threadId !== threadId) {
        throw new InvalidContextError('threadId', `run "${runId}" belongs to thread "${run.threadId}", not "${threadId}"`);
      }
      // Already the most recent key: its Map position is right (exact LRU, no delete/set).
      if (runId === this.lastRunId) return run;
      this.runs.delete(runId); // re-insert: Map order is the LRU order
    } else {
      run = { userId, threadId, lifecycle: new RunLifecycle(runId), tail: RESOLVED, pending: 0 };
    }
    this.runs.set(runId, run);
    this.lastRunId = runId;
    while (this.runs.size > this.maxRuns) {
      const stalest = this.runs.keys().next().value;
      if (stalest === undefined) break;
      this.runs.delete(stalest);
    }
    return run;
  }

  private idsOf(userId: string): Iterable<string> {
    const ids = this.byUser.get(userId);
    return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids;
  }

  private deliverLocal(delivery: BusDelivery): number {
    const ids = this.byUser.get(delivery.userId);
    if (ids === undefined) return 0;
    // Serialised once per delivery (or already by the bus) and the same string written to every socket.
    const json = delivery.kind === 'event' ? (delivery.json ?? JSON.stringify(delivery.envelope)) : JSON.stringify(delivery.message);
    if (typeof ids === 'string') return this.deliverTo(ids, delivery, json) ? 1 : 0;
    let count = 0;
    // A Set tolerates deletion while iterated (a slow consumer is unregistered mid-loop).
    for (const id of ids) if (this.deliverTo(id, delivery, json)) count++;
    return count;
  }

  private deliverTo(connectionId: string, delivery: BusDelivery, json: string): boolean {
    const state = this.connections.get(connectionId);
    if (!state || state.connection.userId !== delivery.userId) return false;
    if (delivery.kind === 'message') {
      if (delivery.threadId !== undefined && state.connection.threadId !== delivery.threadId) return false;
      return this.write(state, json);
    }
    return this.write(state, json, delivery.envelope);
  }

  /** The one place a frame reaches a socket: open check, queue bound, error isolation. */
  private write(state: ConnectionState, json: string, envelope?: EventEnvelope): boolean {
    const socket = state.connection.socket;
    if (!isOpen(socket)) return false;
    const buffered = socket.bufferedAmount ?? 0;
    if (buffered > this.maxBufferedBytes) {
      this.dropSlowConsumer(state, buffered);
      return false;
    }
    try {
      socket.send(json);
    } catch {
      return false;
    }
    this.counters.framesSent++;
    if (envelope) this.noteSent(state, envelope);
    return true;
  }

  private noteSent(state: ConnectionState, envelope: EventEnvelope): void {
    const { runId, seq } = envelope;
    let sent = state.sent;
    if (!sent) state.sent = sent = new Map();
    const prev = sent.get(runId) ?? 0;
    // Already the most recent key (a run's events come in a row): update in place, exact LRU.
    if (runId === state.lastSentRun) {
      if (seq > prev) sent.set(runId, seq);
      return;
    }
    sent.delete(runId);
    sent.set(runId, Math.max(prev, seq));
    state.lastSentRun = runId;
    if (sent.size > MAX_TRACKED_RUNS_PER_CONNECTION) {
      const oldest = sent.keys().next().value;
      if (oldest !== undefined) sent.delete(oldest);
    }
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

let defaultHub: ConnectionHub | undefined;

/** The process-wide hub (in-memory bus) used when no hub is passed; created on first use. */
export function getDefaultHub(): ConnectionHub {
  if (!defaultHub || defaultHub.isClosed) defaultHub = new ConnectionHub();
  return defaultHub;
}

/** Replaces the process-wide hub (e.g. one on a Redis bus, at startup). Returns the previous one. */
export function setDefaultHub(hub: ConnectionHub | undefined): ConnectionHub | undefined {
  const previous = defaultHub;
  defaultHub = hub;
  return previous;
}

export function createConnectionHub(options?: ConnectionHubOptions): ConnectionHub {
  return new ConnectionHub(options);
}
