/** Wraps the manager in the legacy protocol adapter for code that predates the protocol. */
import type { WebSocketManagerProtocol as WebSocketManagerInterface } from '../websocket_core/protocols.js';
import { LegacyWebSocketManagerAdapter } from '../websocket_core/protocols.js';
import { getWebSocketManager } from '../websocket_core/websocket_manager.js';

export function protocolManager(): WebSocketManagerInterface {
  return new LegacyWebSocketManagerAdapter(getWebSocketManager());
}

export async function pushToUser(userId: string, message: Record<string, unknown>): Promise<void> {
  const adapter = new LegacyWebSocketManagerAdapter(getWebSocketManager());
  await adapter.sendToUser(userId, message);
}
