import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

export function f(UnifiedWebSocketManager: string) {
  return UnifiedWebSocketManager;
}
export const m = new UnifiedWebSocketManager();
