import { WebSocketManager as WebSocketManager } from "../websocket_core/websocket_manager.js";
import { UnifiedWebSocketManager as WebSocketManager2 } from "../websocket_core/unified_manager.js";

export const a = new WebSocketManager();
export const b = new WebSocketManager2();
