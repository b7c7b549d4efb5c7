import * as wsm from 'ssot-migrate/canonical';

export function other(wsm: { UnifiedWebSocketManager: number }) {
  return wsm.UnifiedWebSocketManager;
}
export const m: wsm.WebSocketManager = new wsm.WebSocketManager();
