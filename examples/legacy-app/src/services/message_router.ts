/** Routes inbound messages; depends only on the protocol (type-only imports). */
import type { WebSocketManagerProtocol } from '../websocket_core/protocols.js';
import type { WebSocketConnection } from '../websocket_core/unified_manager.js';

export type InboundMessage = { type: 'ping' } | { type: 'switch_thread'; threadId: string };

export class MessageRouter {
  constructor(private readonly manager: WebSocketManagerProtocol) {}

  route(connection: WebSocketConnection, message: InboundMessage): boolean {
    switch (message.type) {
      case 'ping':
        return this.manager.isConnectionActive(connection.userId);
      case 'switch_thread':
        return this.manager.updateConnectionThread(connection.connectionId, message.threadId);
    }
  }
}
