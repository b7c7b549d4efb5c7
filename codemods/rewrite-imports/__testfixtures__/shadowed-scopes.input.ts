import { UnifiedWebSocketManager, WebSocketManagerMode } from '../websocket_core/unified_manager.js';

// every inner binding named like the import is another variable and keeps its name
export function byParam(UnifiedWebSocketManager: string): string {
  return UnifiedWebSocketManager;
}
export function byBlock(): unknown {
  {
    const UnifiedWebSocketManager = 1;
    return UnifiedWebSocketManager;
  }
}
export function byCatch(): unknown {
  try {
    return new UnifiedWebSocketManager();
  } catch (UnifiedWebSocketManager) {
    return UnifiedWebSocketManager;
  }
}
export type Box<UnifiedWebSocketManager> = { value: UnifiedWebSocketManager };
export const byArrow = (WebSocketManagerMode: number) => WebSocketManagerMode + 1;
export const outer: UnifiedWebSocketManager = new UnifiedWebSocketManager();
export const typed: typeof UnifiedWebSocketManager = UnifiedWebSocketManager;
export const reg = { UnifiedWebSocketManager, mode: WebSocketManagerMode.UNIFIED };
export { UnifiedWebSocketManager as Legacy };
