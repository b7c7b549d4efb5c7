import * as wsm from '../websocket_core/unified_manager.js';

export const m: wsm.UnifiedWebSocketManager = new wsm.UnifiedWebSocketManager();
export const mode = wsm.WebSocketManagerMode.UNIFIED;
export const get = () => wsm.getWebSocketManager();
