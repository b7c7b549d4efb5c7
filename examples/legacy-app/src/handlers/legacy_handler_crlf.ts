// Written on Windows: this file has CRLF line endings and must keep them.
import { getWebSocketManager } from '../websocket_core/unified_manager.js';
import { WebSocketManagerMode } from '../websocket_core/unified_manager.js';

export function legacyModeLabel(): string {
  const manager = getWebSocketManager();
  return manager.mode === WebSocketManagerMode.UNIFIED ? 'unified' : manager.mode;
}
