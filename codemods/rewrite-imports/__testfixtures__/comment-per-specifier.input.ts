import {
  // the class itself
  UnifiedWebSocketManager, // why we need UnifiedWebSocketManager
  /* the mode enum */ WebSocketManagerMode,
  getWebSocketManager // no trailing comma here
} from '../websocket_core/unified_manager.js'; // keep this note

export const parts = [UnifiedWebSocketManager, WebSocketManagerMode, getWebSocketManager];
