import { WebSocketManager, WebSocketManagerMode } from 'ssot-migrate/canonical';

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
    return new WebSocketManager();
  } catch (UnifiedWebSocketManager) {
    return UnifiedWebSocketManager;
  }
}
export type Box<UnifiedWebSocketManager> = { value: UnifiedWebSocketManager };
export const byArrow = (WebSocketManagerMode: number) => WebSocketManagerMode + 1;
export const outer: WebSocketManager = new WebSocketManager();
export const typed: typeof WebSocketManager = WebSocketManager;
export const reg = { UnifiedWebSocketManager: WebSocketManager, mode: WebSocketManagerMode.UNIFIED };
export { WebSocketManager as Legacy };
