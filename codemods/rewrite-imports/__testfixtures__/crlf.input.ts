import { UnifiedWebSocketManager } from "../websocket_core/unified_manager.js";

// windows file
export const m = new UnifiedWebSocketManager();
