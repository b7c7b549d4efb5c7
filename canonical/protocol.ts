/**
 * The manager protocol: the reference's 11 operations in camelCase, defined once, here.
 * Every other declaration of a "WebSocketManagerProtocol" in a migrated code base is a
 * duplicate that the consolidate-types phase replaces with this one.
 */

/** What a connection wraps. A `ws` WebSocket satisfies it; so does an in-memory test socket. */
export interface SocketLike {
  send(data: string): void;
  readonly readyState?: number;
  /** Bytes queued but not yet written (ws and browsers expose it); used for slow-consumer bounds. */
  readonly bufferedAmount?: number;
  /** The same count where a runtime exposes it as a method (Bun's `ServerWebSocket`). */
  getBufferedAmount?(): number;
  close?(code?: number, reason?: string): void;
}

/**
 * Bytes a socket has queued but not written: `bufferedAmount` (ws, browsers) or
 * `getBufferedAmount()` (Bun), 0 when it says neither — the slow-consumer bound reads this.
 */
export function queuedBytes(socket: SocketLike): number {
  return socket.bufferedAmount ?? socket.getBufferedAmount?.() ?? 0;
}

export interface WebSocketConnection {
  connectionId: string;
  userId: string;
  threadId?: string;
  socket: SocketLike;
  connectedAt: Date;
  /**
   * The socket also takes `send(bytes, { binary: false })` and sends the UTF-8 bytes as a text
   * frame — a `ws` WebSocket does; the canonical server sets this. Stored event frames (kept as
   * bytes) then go out without being decoded and encoded again. Without it they are decoded
   * to a string first.
   */
  utf8Bytes?: boolean;
  /**
   * The socket is a `ws` WebSocket without per-message deflate: a stored event frame may go out
   * pre-encoded (header + payload, one write; ws-frame.ts). The canonical server sets this.
   */
  wsFrames?: boolean;
}

export interface ConnectionHealthEntry {
  connectionId: string;
  active: boolean;
  connectedAt: string;
  threadId: string | null;
  /** Client delivery confirmations received on this connection. */
  confirmations: { confirmed: number; failed: number };
}

export interface ConnectionHealth {
  userId: string;
  totalConnections: number;
  activeConnections: number;
  hasActiveConnections: boolean;
  connections: ConnectionHealthEntry[];
}

/** A JSON object sent to a user's sockets as one frame. */
export type OutboundMessage = Record<string, unknown>;

export interface WebSocketManagerProtocol {
  addConnection(connection: WebSocketConnection): Promise<void>;
  removeConnection(connectionId: string): Promise<void>;
  getConnection(connectionId: string): WebSocketConnection | undefined;
  getUserConnections(userId: string): Set<string>;
  isConnectionActive(userId: string): boolean;
  getConnectionIdByWebSocket(socket: SocketLike): string | undefined;
  updateConnectionThread(connectionId: string, threadId: string): boolean;
  sendToUser(userId: string, message: OutboundMessage): Promise<void>;
  emitCriticalEvent(userId: string, eventType: string, data: Record<string, unknown>): Promise<void>;
  getConnectionHealth(userId: string): ConnectionHealth;
  sendToThread(threadId: string, message: OutboundMessage): Promise<boolean>;
}

/** The 11 operation names, for conformance checks (the reference's validator hard-coded them). */
export const WEB_SOCKET_MANAGER_PROTOCOL_METHODS = [
  'addConnection',
  'removeConnection',
  'getConnection',
  'getUserConnections',
  'isConnectionActive',
  'getConnectionIdByWebSocket',
  'updateConnectionThread',
  'sendToUser',
  'emitCriticalEvent',
  'getConnectionHealth',
  'sendToThread',
] as const satisfies readonly (keyof WebSocketManagerProtocol)[];

/** Names of protocol operations `candidate` lacks (empty when it conforms). */
export function missingProtocolMethods(candidate: unknown): string[] {
  if (candidate === null || (typeof candidate !== 'object' && typeof candidate !== 'function')) {
    return [...WEB_SOCKET_MANAGER_PROTOCOL_METHODS];
  }
  const c = candidate as Record<string, unknown>;
  return WEB_SOCKET_MANAGER_PROTOCOL_METHODS.filter((m) => typeof c[m] !== 'function');
}
