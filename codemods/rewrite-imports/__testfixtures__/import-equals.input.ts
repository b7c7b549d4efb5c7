import wsm = require('../websocket_core/unified_manager');

export const m = new wsm.UnifiedWebSocketManager();
export const mode = wsm.WebSocketManagerMode.UNIFIED;
