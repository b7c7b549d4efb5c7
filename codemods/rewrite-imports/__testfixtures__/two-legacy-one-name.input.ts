import { WebSocketManager } from '../websocket_core/websocket_manager.js';
import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

export const same = WebSocketManager === UnifiedWebSocketManager;
