import { UnifiedWebSocketManager } from '@ws/unified_manager';
import { WebSocketManagerProtocol } from '@ws/protocols';

export const m: WebSocketManagerProtocol = new UnifiedWebSocketManager();
