export {
  UnifiedWebSocketManager, // the old public name stays exported
  WebSocketManagerMode as Mode,
  getWebSocketManager,
} from '../websocket_core/unified_manager.js';
