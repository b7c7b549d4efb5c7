import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

// a local binding that already uses the canonical name
const WebSocketManager = 'local';

export const both = [WebSocketManager, new UnifiedWebSocketManager()];
