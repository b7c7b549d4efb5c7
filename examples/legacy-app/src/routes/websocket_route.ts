/** The WebSocket route: registers an incoming socket for a user (named import, no context in scope). */
import { WebSocketManager, getWebSocketManager } from '../websocket_core/websocket_manager.js';
import type { SocketLike } from '../websocket_core/unified_manager.js';

export async function handleWebSocketConnection(socket: SocketLike, userId: string, threadId?: string): Promise<string> {
  const manager: WebSocketManager = getWebSocketManager();
  return manager.connectUser(userId, socket, undefined, threadId);
}

export async function handleWebSocketDisconnect(socket: SocketLike, userId: string): Promise<void> {
  await getWebSocketManager().disconnectUser(userId, socket);
}
