/**
 * The de-facto WebSocket manager of the legacy backend (port of
 * netra_backend/app/websocket_core/unified_manager.py). Every other "manager" in this
 * folder is an alias, a re-export or a wrapper of this class.
 *
 * Known defects kept on purpose (they are what the migration removes):
 *  - `userContext` is a mutable field; the factory shares one instance and overwrites it
 *    per request, so concurrent users receive each other's events.
 *  - `sendToThread` treats the thread id as a user id (as in every Python version).
 */

export enum WebSocketManagerMode {
  UNIFIED = 'unified',
  ISOLATED = 'isolated',
  EMERGENCY = 'emergency',
  DEGRADED = 'degraded',
}

/** What a connection wraps: a `ws` WebSocket satisfies it; tests use in-memory sockets. */
export interface SocketLike {
  send(data: string): void;
  readonly readyState?: number;
  close?(code?: number, reason?: string): void;
}

export interface WebSocketConnection {
  connectionId: string;
  userId: string;
  threadId?: string;
  socket: SocketLike;
  connectedAt: Date;
}

/** The legacy per-request context shape the manager remembers (see services/user_execution_context.ts). */
export interface ManagerUserContext {
  userId: string;
  threadId: string;
  runId: string;
  requestId?: string;
}

export interface ConnectionHealth {
  userId: string;
  totalConnections: number;
  activeConnections: number;
  hasActiveConnections: boolean;
  connections: { connectionId: string; active: boolean; connectedAt: string; threadId?: string }[];
}

export interface ManagerStats {
  totalConnections: number;
  uniqueUsers: number;
  connectionsByUser: Record<string, number>;
}

export type LegacyMessage = Record<string, unknown>;

const OPEN = 1;
export const MAX_CONNECTIONS_PER_USER = 10;

let connectionCounter = 0;
function nextConnectionId(): string {
  connectionCounter += 1;
  return `conn_${Date.now().toString(36)}_${connectionCounter}`;
}

export class UnifiedWebSocketManager {
  readonly mode: WebSocketManagerMode;
  /** The context of "the current request". Shared instance + mutable field = the isolation bug. */
  userContext: ManagerUserContext | undefined;

  private readonly connections = new Map<string, WebSocketConnection>();
  private readonly userConnections = new Map<string, Set<string>>();
  /** Messages for users with no connection, replayed on addConnection (legacy recovery queue). */
  private readonly failedMessages = new Map<string, LegacyMessage[]>();

  constructor(mode: WebSocketManagerMode = WebSocketManagerMode.UNIFIED, userContext?: ManagerUserContext) {
    this.mode = mode;
    this.userContext = userContext;
  }

  // --- the 11 protocol operations -------------------------------------------------------

  async addConnection(connection: WebSocketConnection): Promise<void> {
    const ids = this.userConnections.get(connection.userId) ?? new Set<string>();
    if (!ids.has(connection.connectionId) && ids.size >= MAX_CONNECTIONS_PER_USER) {
      throw new Error(
        `User ${connection.userId} exceeded maximum connections per user limit (${MAX_CONNECTIONS_PER_USER})`,
      );
    }
    ids.add(connection.connectionId);
    this.userConnections.set(connection.userId, ids);
    this.connections.set(connection.connectionId, connection);
    const queued = this.failedMessages.get(connection.userId);
    if (queued) {
      this.failedMessages.delete(connection.userId);
      for (const message of queued) await this.sendToUser(connection.userId, message);
    }
  }

  async removeConnection(connectionId: string): Promise<void> {
    const connection = this.connections.get(connectionId);
    if (!connection) return; // idempotent, as in the original
    this.connections.delete(connectionId);
    const ids = this.userConnections.get(connection.userId);
    ids?.delete(connectionId);
    if (ids && ids.size === 0) this.userConnections.delete(connection.userId);
  }

  getConnection(connectionId: string): WebSocketConnection | undefined {
    return this.connections.get(connectionId);
  }

  getUserConnections(userId: string): Set<string> {
    return new Set(this.userConnections.get(userId) ?? []);
  }

  isConnectionActive(userId: string): boolean {
    return (this.userConnections.get(userId)?.size ?? 0) > 0;
  }

  getConnectionIdByWebSocket(socket: SocketLike): string | undefined {
    for (const connection of this.connections.values()) {
      if (connection.socket === socket) return connection.connectionId;
    }
    return undefined;
  }

  updateConnectionThread(connectionId: string, threadId: string): boolean {
    const connection = this.connections.get(connectionId);
    if (!connection) return false;
    connection.threadId = threadId;
    return true;
  }

  async sendToUser(userId: string, message: LegacyMessage): Promise<void> {
    const ids = this.userConnections.get(userId);
    if (!ids || ids.size === 0) {
      this.storeFailedMessage(userId, message);
      return;
    }
    // Contamination guard from the original: any *UserId key is forced to the target.
    const guarded: LegacyMessage = { ...message };
    for (const key of Object.keys(guarded)) {
      if ((key === 'userId' || key.endsWith('UserId')) && guarded[key] !== userId) guarded[key] = userId;
    }
    const frame = JSON.stringify(guarded);
    for (const id of ids) {
      const connection = this.connections.get(id);
      if (!connection) continue;
      if (connection.socket.readyState !== undefined && connection.socket.readyState !== OPEN) continue;
      connection.socket.send(frame);
    }
  }

  async emitCriticalEvent(userId: string, eventType: string, data: LegacyMessage): Promise<void> {
    const ctx = this.userContext;
    await this.sendToUser(userId, {
      type: eventType,
      userId,
      threadId: ctx?.threadId ?? 'unknown_thread',
      runId: ctx?.runId ?? 'unknown_run',
      timestamp: new Date().toISOString(),
      ...data,
    });
  }

  getConnectionHealth(userId: string): ConnectionHealth {
    const ids = [...(this.userConnections.get(userId) ?? [])];
    const connections = ids
      .map((id) => this.connections.get(id))
      .filter((c): c is WebSocketConnection => c !== undefined)
      .map((c) => ({
        connectionId: c.connectionId,
        active: c.socket.readyState === undefined || c.socket.readyState === OPEN,
        connectedAt: c.connectedAt.toISOString(),
        ...(c.threadId !== undefined ? { threadId: c.threadId } : {}),
      }));
    const active = connections.filter((c) => c.active).length;
    return {
      userId,
      totalConnections: connections.length,
      activeConnections: active,
      hasActiveConnections: active > 0,
      connections,
    };
  }

  /** The real bug, kept: the thread id is used as a user id (delivery only works if a socket was registered under it). */
  async sendToThread(threadId: string, message: LegacyMessage): Promise<boolean> {
    await this.sendToUser(threadId, message);
    return true;
  }

  // --- legacy-only entry points -------------------------------------------------------

  async connectUser(userId: string, socket: SocketLike, connectionId?: string, threadId?: string): Promise<string> {
    const id = connectionId ?? nextConnectionId();
    await this.addConnection({
      connectionId: id,
      userId,
      socket,
      connectedAt: new Date(),
      ...(threadId !== undefined ? { threadId } : {}),
    });
    return id;
  }

  /** The winning (later) Python definition: removes ALL of the user's connections. */
  async disconnectUser(userId: string, _socket?: SocketLike, code = 1000, reason = 'Normal closure'): Promise<void> {
    for (const id of this.getUserConnections(userId)) {
      this.connections.get(id)?.socket.close?.(code, reason);
      await this.removeConnection(id);
    }
  }

  isUserConnected(userId: string): boolean {
    return this.isConnectionActive(userId);
  }

  async sendAgentEvent(userId: string, eventType: string, data: LegacyMessage): Promise<void> {
    await this.emitCriticalEvent(userId, eventType, data);
  }

  async broadcast(message: LegacyMessage): Promise<number> {
    const users = [...this.userConnections.keys()];
    for (const userId of users) await this.sendToUser(userId, message);
    return users.length;
  }

  getConnectionCount(): number {
    return this.connections.size;
  }

  getStats(): ManagerStats {
    const connectionsByUser: Record<string, number> = {};
    for (const [userId, ids] of this.userConnections) connectionsByUser[userId] = ids.size;
    return { totalConnections: this.connections.size, uniqueUsers: this.userConnections.size, connectionsByUser };
  }

  /** Messages stored for a user who had no connection (legacy `_store_failed_message`). */
  getFailedMessages(userId: string): LegacyMessage[] {
    return [...(this.failedMessages.get(userId) ?? [])];
  }

  async shutdown(): Promise<void> {
    for (const id of [...this.connections.keys()]) await this.removeConnection(id);
    this.failedMessages.clear();
  }

  private storeFailedMessage(userId: string, message: LegacyMessage): void {
    const list = this.failedMessages.get(userId) ?? [];
    list.push(message);
    if (list.length > 1000) list.shift(); // the per-connection queue's max_size
    this.failedMessages.set(userId, list);
  }
}

let singleton: UnifiedWebSocketManager | undefined;

/** Module-level singleton getter (the original `get_websocket_manager()` in unified_manager.py). */
export function getWebSocketManager(): UnifiedWebSocketManager {
  singleton ??= new UnifiedWebSocketManager();
  return singleton;
}

/** Test hook: forget the singleton. */
export function resetWebSocketManagerForTests(): void {
  singleton = undefined;
}

export default UnifiedWebSocketManager;
