import * as wsm from '../websocket_core/unified_manager.js';

export function all(): unknown {
  return wsm;
}
export const m = new wsm.UnifiedWebSocketManager();
