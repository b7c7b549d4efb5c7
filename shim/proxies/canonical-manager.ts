/**
 * The legacy manager API (UnifiedWebSocketManager's methods) served by canonical/.
 *
 * Two shapes:
 *  - scoped (built from a context, e.g. by the legacy factory in canonical mode): one canonical
 *    ScopedWebSocketManager per user; addressing another user throws CrossUserAccessError. This
 *    is what fixes the shared-instance bug before any call site is rewritten.
 *  - unscoped (`new UnifiedWebSocketManager()`, no-argument getters): addresses users by the
 *    explicit userId arguments the legacy API takes, through per-user canonical managers.
 * Connections live in the canonical hub (the process-wide default unless one is given), so a
 * socket registered through one manager is reachable through every manager of that user.
 */
import { createWebSocketManager, isCriticalEventType } from '../../canonical/index.js';
import type {
  ConnectionHealth,
  ConnectionHub,
  CriticalEventData,
  CriticalEventType,
  OutboundMessage,
  ScopedWebSocketManager,
  SocketLike,
  UserExecutionContext,
  WebSocketConnection,
} from '../../canonical/index.js';
import { CrossUserAccessError } from '../../canonical/index.js';
import type { SiteRecord } from '../telemetry.js';

/** The context shape legacy code passes around (userId, threadId, runId, requestId?). */
export interface LegacyContextLike {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  readonly requestId?: string;
}

const ENVELOPE_KEYS = new Set(['type', 'runId', 'threadId', 'userId', 'seq', 'ts', 'timestamp']);
/** Per-(thread, run) canonical managers one scoped legacy manager keeps; runs beyond it are rebuilt on demand. */
const MAX_RUN_MANAGERS = 32;

let syntheticRun = 0;

/** Marker so adapters and aliases recognise managers served by canonical. */
export const CANONICAL_BACKED = Symbol.for('ssot-migrate.shim.canonicalBacked');

export class CanonicalLegacyManager {
  readonly [CANONICAL_BACKED] = true;
  readonly mode: string;
  private context: LegacyContextLike | undefined;
  private readonly scoped: ScopedWebSocketManager | undefined;
  private readonly runManagers = new Map<string, ScopedWebSocketManager>();
  /** Users whose connections were registered through this object (for legacy broadcast/stats). */
  private readonly knownUsers = new Set<string>();
  /** Synthetic run per user for legacy callers that never name a run. */
  private readonly currentRun = new Map<string, string>();

  constructor(
    readonly hub: ConnectionHub,
    private readonly record: SiteRecord | undefined,
    context?: LegacyContextLike,
    mode = 'unified',
  ) {
    this.mode = mode;
    this.context = context;
    this.scoped = context ? createWebSocketManager(toCanonicalContext(context), { hub }) : undefined;
  }

  /** The bound context (legacy field). Rebinding to another user is refused: that was the leak. */
  get userContext(): LegacyContextLike | undefined {
    return this.context;
  }
  set userContext(ctx: LegacyContextLike | undefined) {
    if (this.scoped && ctx && ctx.userId !== this.scoped.context.userId) {
      throw new CrossUserAccessError(this.scoped.context.userId, ctx.userId, 'rebind a manager to');
    }
    this.context = ctx;
  }

  /** The canonical manager behind this object for `ctx` (adapters unwrap to it). */
  canonicalFor(ctx?: LegacyContextLike): ScopedWebSocketManager {
    const target = ctx ?? this.context;
    if (!target) throw new CrossUserAccessError('(none)', '(unknown)', 'emit without a user context for');
    if (this.scoped) {
      if (target.userId !== this.scoped.context.userId) throw new CrossUserAccessError(this.scoped.context.userId, target.userId, 'act for');
      if (target.threadId === this.scoped.context.threadId && target.runId === this.scoped.context.runId) return this.scoped;
    }
    return this.runManager(target.userId, target.threadId, target.runId);
  }

  // ---- the 11 protocol operations ---------------------------------------------------

  async addConnection(connection: WebSocketConnection): Promise<void> {
    this.count();
    await this.forUser(connection.userId).addConnection(connection);
    this.knownUsers.add(connection.userId);
  }

  async removeConnection(connectionId: string): Promise<void> {
    this.count();
    const c = this.hub.getConnection(connectionId);
    if (!c || (this.scoped && c.userId !== this.scoped.context.userId)) return;
    await this.forUser(c.userId).removeConnection(connectionId);
  }

  getConnection(connectionId: string): WebSocketConnection | undefined {
    this.count();
    return this.scoped ? this.scoped.getConnection(connectionId) : this.hub.getConnection(connectionId);
  }

  getUserConnections(userId: string): Set<string> {
    this.count();
    return this.forUser(userId).getUserConnections(userId);
  }

  isConnectionActive(userId: string): boolean {
    this.count();
    return this.forUser(userId).isConnectionActive(userId);
  }

  getConnectionIdByWebSocket(socket: SocketLike): string | undefined {
    this.count();
    return this.scoped ? this.scoped.getConnectionIdByWebSocket(socket) : this.hub.getConnectionIdBySocket(socket);
  }

  updateConnectionThread(connectionId: string, threadId: string): boolean {
    this.count();
    const c = this.hub.getConnection(connectionId);
    return c ? this.forUser(c.userId).updateConnectionThread(connectionId, threadId) : false;
  }

  sendToUser(userId: string, message: OutboundMessage): Promise<void> {
    this.count();
    // Not `async`: an extra promise layer would cost more than the shim's budget; sync throws still reject.
    let m: ScopedWebSocketManager;
    try {
      m = this.forUser(userId);
    } catch (error) {
      return Promise.reject(error);
    }
    return m.sendToUser(userId, message);
  }

  /**
   * Critical events go through canonical emit (sequenced, ordered, replayable) for the run named
   * in the data, else the bound context's run, else a synthetic run per user that starts afresh
   * at each agent_started. Other event types are plain messages, as the legacy API allowed.
   */
  async emitCriticalEvent(userId: string, eventType: string, data: Record<string, unknown>): Promise<void> {
    this.count();
    const base = this.forUser(userId); // cross-user check first
    const payload: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data ?? {})) if (!ENVELOPE_KEYS.has(k)) payload[k] = v;
    const bound = this.context && this.context.userId === userId ? this.context : undefined;
    const threadId = str(data?.threadId) ?? bound?.threadId ?? `legacy_thread_${userId}`;
    if (!isCriticalEventType(eventType)) {
      const runId = str(data?.runId) ?? bound?.runId;
      await base.sendToUser(userId, { type: eventType, userId, threadId, ...(runId ? { runId } : {}), timestamp: new Date().toISOString(), ...payload });
      return;
    }
    let runId = str(data?.runId) ?? bound?.runId;
    if (!runId) {
      if (eventType === 'agent_started' || !this.currentRun.has(userId)) this.currentRun.set(userId, `legacy_run_${++syntheticRun}`);
      runId = this.currentRun.get(userId)!;
    }
    const manager = this.scoped && this.scoped.context.threadId === threadId && this.scoped.context.runId === runId ? this.scoped : this.runManager(userId, threadId, runId);
    await manager.emit(eventType as CriticalEventType, payload as unknown as CriticalEventData[CriticalEventType]);
  }

  getConnectionHealth(userId: string): ConnectionHealth {
    this.count();
    return this.forUser(userId).getConnectionHealth(userId);
  }

  /** Canonical semantics: this user's sockets bound to the thread (the legacy "thread id as user id" bug is gone). */
  async sendToThread(threadId: string, message: OutboundMessage): Promise<boolean> {
    this.count();
    const owner = this.scoped ?? (this.context ? this.forUser(this.context.userId) : undefined);
    return owner ? owner.sendToThread(threadId, message) : false;
  }

  // ---- legacy-only operations --------------------------------------------------------

  async connectUser(userId: string, socket: SocketLike, connectionId?: string, threadId?: string): Promise<string> {
    const id = connectionId ?? `conn_${Date.now().toString(36)}_${++syntheticRun}`;
    await this.addConnection({ connectionId: id, userId, socket, connectedAt: new Date(), ...(threadId !== undefined ? { threadId } : {}) });
    return id;
  }

  async disconnectUser(userId: string, _socket?: SocketLike, code = 1000, reason = 'Normal closure'): Promise<void> {
    for (const id of this.getUserConnections(userId)) {
      this.hub.getConnection(id)?.socket.close?.(code, reason);
      await this.removeConnection(id);
    }
  }

  isUserConnected(userId: string): boolean {
    return this.isConnectionActive(userId);
  }

  async sendAgentEvent(userId: string, eventType: string, data: Record<string, unknown>): Promise<void> {
    return this.emitCriticalEvent(userId, eventType, data);
  }

  /** To the users this manager registered connections for (a scoped manager: its one user). */
  async broadcast(message: OutboundMessage): Promise<number> {
    const users = this.usersWithConnections();
    for (const userId of users) await this.sendToUser(userId, message);
    return users.length;
  }

  getConnectionCount(): number {
    return this.usersWithConnections().reduce((n, u) => n + this.hub.getUserConnections(u).size, 0);
  }

  getStats(): { totalConnections: number; uniqueUsers: number; connectionsByUser: Record<string, number> } {
    const connectionsByUser: Record<string, number> = {};
    for (const u of this.usersWithConnections()) connectionsByUser[u] = this.hub.getUserConnections(u).size;
    const totalConnections = Object.values(connectionsByUser).reduce((a, b) => a + b, 0);
    return { totalConnections, uniqueUsers: Object.keys(connectionsByUser).length, connectionsByUser };
  }

  /** Canonical keeps no failed-message queue: undelivered events are replayed on resume instead. */
  getFailedMessages(_userId: string): Record<string, unknown>[] {
    return [];
  }

  async shutdown(): Promise<void> {
    for (const u of this.usersWithConnections()) for (const id of this.hub.getUserConnections(u)) this.hub.removeConnection(id);
  }

  // ---- internals ---------------------------------------------------------------------

  private count(): void {
    if (this.record) this.record.methodCalls++;
  }

  private usersWithConnections(): string[] {
    const users = this.scoped ? [this.scoped.context.userId] : [...this.knownUsers];
    return users.filter((u) => this.hub.isConnectionActive(u));
  }

  /** The canonical manager acting for userId; a scoped manager refuses other users. */
  private forUser(userId: string): ScopedWebSocketManager {
    if (this.scoped) {
      if (userId !== this.scoped.context.userId) throw new CrossUserAccessError(this.scoped.context.userId, String(userId), 'act for');
      return this.scoped;
    }
    const bound = this.context && this.context.userId === userId ? this.context : undefined;
    return this.runManager(userId, bound?.threadId ?? `legacy_thread_${userId}`, bound?.runId ?? `legacy_run_${userId}`);
  }

  private runManager(userId: string, threadId: string, runId: string): ScopedWebSocketManager {
    const key = `${userId}\u0000${threadId}\u0000${runId}`;
    let m = this.runManagers.get(key);
    if (!m) {
      if (this.runManagers.size >= MAX_RUN_MANAGERS) this.runManagers.delete(this.runManagers.keys().next().value!);
      m = createWebSocketManager(toCanonicalContext({ userId, threadId, runId }), { hub: this.hub });
      this.runManagers.set(key, m);
    }
    return m;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function toCanonicalContext(ctx: LegacyContextLike): UserExecutionContext {
  // createWebSocketManager validates and freezes a copy when handed a non-frozen object.
  return { userId: ctx.userId, threadId: ctx.threadId, runId: ctx.runId, ...(ctx.requestId ? { requestId: ctx.requestId } : {}) };
}

export function isCanonicalBacked(value: unknown): value is CanonicalLegacyManager {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CANONICAL_BACKED] === true;
}
