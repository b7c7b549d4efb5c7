import * as wsm from '../websocket_core/unified_manager.js';

export function other(wsm: { UnifiedWebSocketManager: number }) {
  return wsm.UnifiedWebSocketManager;
}
export const m: wsm.UnifiedWebSocketManager = new wsm.UnifiedWebSocketManager();
