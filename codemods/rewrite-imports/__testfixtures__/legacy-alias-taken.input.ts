// the canonical name is taken in the file: the legacy alias stays and is reported
import { UnifiedWebSocketManager as UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

class WebSocketManager {}

export const legacy = new UnifiedWebSocketManager();
export const local = new WebSocketManager();
