/** Implements the SECOND protocol (core/interfaces_websocket), aliased as in the original. */
import type { WebSocketManagerProtocol as InterfaceProtocol } from '../core/interfaces_websocket.js';
import { WebSocketEventTypes } from '../core/interfaces_websocket.js';
import { getWebSocketManager } from '../websocket_core/unified_manager.js';

export class EventPublisher implements InterfaceProtocol {
  async sendMessage(userId: string, message: Record<string, unknown>): Promise<boolean> {
    await getWebSocketManager().sendToUser(userId, message);
    return true;
  }

  async broadcastMessage(message: Record<string, unknown>): Promise<number> {
    return getWebSocketManager().broadcast(message);
  }

  getConnectionCount(): number {
    return getWebSocketManager().getConnectionCount();
  }

  isCritical(type: string): boolean {
    return Object.values(WebSocketEventTypes).includes(type as never);
  }
}
