export {
  WebSocketManager as UnifiedWebSocketManager, // the old public name stays exported
  WebSocketManagerMode as Mode,
  createWebSocketManager as getWebSocketManager,
} from 'ssot-migrate/canonical';
