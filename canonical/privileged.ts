/**
 * Hub-level operations — PRIVILEGED. They act on every user of a hub (send to everybody, list
 * who is connected, count sockets, report health) or address any user by id, so they are not
 * part of the per-user API: a `ScopedWebSocketManager` has none of these methods, and nothing
 * a per-user manager returns offers them. Only code that holds this object (the process's
 * composition root, the shim's generated legacy objects, an admin endpoint) can use them.
 *
 * They are synchronous where legacy hub APIs were (`connect` returns the connection id,
 * `sendToUser` the number of sockets written to), over the same connection registry every
 * canonical manager of the hub reads: a socket registered here is the one
 * `createWebSocketManager(ctx).emit(...)` sends to, and the other way round.
 */
import { randomBytes } from 'node:crypto';
import { isThenable } from './bus/types.js';
import { isCriticalEventType } from './events.js';
import type { CriticalEventData, CriticalEventType } from './events.js';
import { getDefaultHub } from './hub.js';
import { createWebSocketManager } from './manager.js';
import { WebSocketManagerMode } from './mode.js';
import type { ConnectionHub, HubStats } from './hub.js';
import type { OutboundMessage, SocketLike } from './protocol.js';

export interface ConnectOptions {
  /** Default: a fresh `conn_<hex>` id. */
  connectionId?: string;
  threadId?: string;
  /** A frame written to this socket only, right after it is registered (a legacy "hello"). */
  greeting?: (connectionId: string) => OutboundMessage;
}

export interface HubHealthReport {
  status: 'ok' | 'closed';
  users: number;
  connections: number;
  /** Frames written to sockets since the hub started. */
  delivered: number;
  /** Sockets dropped because they stopped reading (slow consumers). */
  failed: number;
  uptimeMs: number;
}

export interface HubOperations {
  /** The hub these operations act on. */
  readonly hub: ConnectionHub;
  /** Registers a socket for any user; returns its connection id. */
  connect(userId: string, socket: SocketLike, options?: ConnectOptions): string;
  /** Unregisters a connection; false when it was not registered. */
  disconnect(connectionId: string): boolean;
  /**
   * Sends an unsequenced message to every socket of one user (any user: privileged). Returns the
   * number of sockets written to when the bus delivers synchronously (in-memory); with an
   * asynchronous bus, the number of this hub's sockets of that user (delivery follows; a failed
   * publish goes to `onError`, never an unhandled rejection).
   */
  sendToUser(userId: string, message: OutboundMessage): number;
  /** Sends an unsequenced message to every connected user; returns the sockets it went to. */
  broadcastAll(message: OutboundMessage): number;
  listConnectedUsers(): string[];
  /** Sockets of one user, or of every user when none is given. */
  connectionCount(userId?: string): number;
  isOnline(userId: string): boolean;
  health(): HubHealthReport;
  stats(): HubStats;
  /**
   * The mode legacy code asks a manager for: every canonical manager acts for one context, i.e.
   * the legacy `ISOLATED` mode (no shared, rebindable instance exists any more).
   */
  readonly mode: WebSocketManagerMode;
  /** Unregisters every connection of every user (a legacy `shutdown`); returns how many. */
  disconnectAll(): number;
  /**
   * An event named by a string, for any user (privileged): one of the five critical events goes
   * through canonical emit (sequenced, replayable) in the run its data names (`threadId`,
   * `runId`), else in a run per user that starts afresh at each `agent_started`; any other type
   * is an unsequenced message. Envelope keys in `data` (type, userId, seq, ts, timestamp, and the
   * run's ids) are taken as routing, not payload.
   */
  emitTo(userId: string, eventType: string, data?: Record<string, unknown>): Promise<void>;
}

export interface HubOperationsOptions {
  /** Where a failed asynchronous publish is reported (default: process warning). */
  onError?: (error: unknown) => void;
}

const startedAt = new WeakMap<ConnectionHub, number>();
/** Per hub and user, the run `emitTo` uses when the data names none (starts afresh at agent_started). */
const implicitRuns = new WeakMap<ConnectionHub, Map<string, string>>();
const ENVELOPE_KEYS = new Set(['type', 'runId', 'threadId', 'userId', 'seq', 'ts', 'timestamp']);

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The privileged operations of `hub` (default: the process-wide hub). Cheap: a thin object over
 * the hub's one registry; create it where it is needed.
 */
export function hubOperations(hub: ConnectionHub = getDefaultHub(), options: HubOperationsOptions = {}): HubOperations {
  if (!startedAt.has(hub)) startedAt.set(hub, Date.now());
  const onError =
    options.onError ??
    ((error: unknown) => process.emitWarning(`hub publish failed: ${error instanceof Error ? error.message : String(error)}`, { type: 'SsotHubWarning' }));
  const users = (): string[] => {
    const out: string[] = [];
    for (const userId of hub.connectedUsers()) out.push(userId);
    return out;
  };
  const sendToUser = (userId: string, message: OutboundMessage): number => {
    const result = hub.publishMessage(userId, message);
    if (isThenable(result)) {
      Promise.resolve(result).catch(onError);
      return hub.getUserConnections(userId).size;
    }
    return result;
  };
  return {
    hub,
    connect(userId, socket, o = {}) {
      const connectionId = o.connectionId ?? `conn_${randomBytes(6).toString('hex')}`;
      hub.addConnection({ connectionId, userId, socket, connectedAt: new Date(), ...(o.threadId !== undefined ? { threadId: o.threadId } : {}) });
      if (o.greeting) hub.sendFrameTo(connectionId, o.greeting(connectionId));
      return connectionId;
    },
    disconnect: (connectionId) => hub.removeConnection(connectionId) !== undefined,
    sendToUser,
    broadcastAll(message) {
      let n = 0;
      for (const userId of users()) n += sendToUser(userId, message);
      return n;
    },
    listConnectedUsers: users,
    connectionCount: (userId) => (userId === undefined ? hub.stats().connections : hub.getUserConnections(userId).size),
    isOnline: (userId) => hub.isConnectionActive(userId),
    health() {
      const s = hub.stats();
      return {
        status: hub.isClosed ? 'closed' : 'ok',
        users: s.users,
        connections: s.connections,
        delivered: s.framesSent,
        failed: s.slowConsumerCloses,
        uptimeMs: Date.now() - (startedAt.get(hub) ?? Date.now()),
      };
    },
    stats: () => hub.stats(),
    mode: WebSocketManagerMode.ISOLATED,
    disconnectAll() {
      let n = 0;
      for (const userId of users()) for (const id of [...hub.getUserConnections(userId)]) if (hub.removeConnection(id) !== undefined) n += 1;
      return n;
    },
    async emitTo(userId, eventType, data = {}) {
      const payload: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(data)) if (!ENVELOPE_KEYS.has(k)) payload[k] = v;
      const threadId = nonEmpty(data['threadId']) ?? `thread_${userId}`;
      let runId = nonEmpty(data['runId']);
      if (!isCriticalEventType(eventType)) {
        sendToUser(userId, { type: eventType, userId, threadId, ...(runId ? { runId } : {}), timestamp: new Date().toISOString(), ...payload });
        return;
      }
      if (!runId) {
        let runs = implicitRuns.get(hub);
        if (!runs) implicitRuns.set(hub, (runs = new Map()));
        if (eventType === 'agent_started' || !runs.has(userId)) runs.set(userId, `run_${randomBytes(6).toString('hex')}`);
        runId = runs.get(userId)!;
      }
      await createWebSocketManager({ userId, threadId, runId }, { hub }).emit(eventType as CriticalEventType, payload as unknown as CriticalEventData[CriticalEventType]);
    },
  };
}
