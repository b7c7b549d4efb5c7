import { WebSocketManagerMode } from "../websocket_core/unified_manager.js";

export const mode = WebSocketManagerMode.UNIFIED;
