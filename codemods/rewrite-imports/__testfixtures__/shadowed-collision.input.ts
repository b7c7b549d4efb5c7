import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

// the canonical name is taken by a local binding: still aliased, references untouched
export function f(UnifiedWebSocketManager: string) {
  const WebSocketManager = UnifiedWebSocketManager.length;
  return WebSocketManager;
}
export const m = new UnifiedWebSocketManager();
