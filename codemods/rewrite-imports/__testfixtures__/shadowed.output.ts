import { WebSocketManager } from 'ssot-migrate/canonical';

export function f(UnifiedWebSocketManager: string) {
  return UnifiedWebSocketManager;
}
export const m = new WebSocketManager();
