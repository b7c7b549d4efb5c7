/**
 * The would-be single source of truth (port of websocket_core/websocket_manager.py, whose
 * header claimed "698 imports depend on it"). It only re-exports the real class, and it
 * declares its OWN copies of WebSocketManagerMode and WebSocketManagerProtocol, which drift
 * from the ones in unified_manager.ts and protocols.ts.
 */
import type { LegacyMessage, SocketLike, WebSocketConnection } from './unified_manager.js';

export { UnifiedWebSocketManager as WebSocketManager, UnifiedWebSocketManager, getWebSocketManager } from './unified_manager.js';
export { UnifiedWebSocketManager as WebSocketConnectionManager } from './unified_manager.js';

/** Duplicate of unified_manager.WebSocketManagerMode (same values, a distinct enum type). */
export enum WebSocketManagerMode {
  UNIFIED = 'unified',
  ISOLATED = 'isolated',
  EMERGENCY = 'emergency',
  DEGRADED = 'degraded',
}

/** Duplicate protocol: the 11 operations, compatible with protocols.WebSocketManagerProtocol. */
export interface WebSocketManagerProtocol {
  addConnection(connection: WebSocketConnection): Promise<void>;
  removeConnection(connectionId: string): Promise<void>;
  getConnection(connectionId: string): WebSocketConnection | undefined;
  getUserConnections(userId: string): Set<string>;
  isConnectionActive(userId: string): boolean;
  getConnectionIdByWebSocket(socket: SocketLike): string | undefined;
  updateConnectionThread(connectionId: string, threadId: string): boolean;
  sendToUser(userId: string, message: LegacyMessage): Promise<void>;
  emitCriticalEvent(userId: string, eventType: string, data: LegacyMessage): Promise<void>;
  getConnectionHealth(userId: string): unknown;
  sendToThread(threadId: string, message: LegacyMessage): Promise<boolean>;
}
