/** Thread bookkeeping: a mixed import `{ type X, Y }`. */
import { type WebSocketConnection, WebSocketManagerMode } from '../websocket_core/unified_manager.js';

export function threadsOf(connections: WebSocketConnection[]): string[] {
  return [...new Set(connections.map((c) => c.threadId).filter((t): t is string => t !== undefined))];
}

export function defaultMode(): WebSocketManagerMode {
  return WebSocketManagerMode.UNIFIED;
}
