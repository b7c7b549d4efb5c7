import { WebSocketManagerFactory, UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

export const m: UnifiedWebSocketManager = WebSocketManagerFactory.getInstance();
