import Manager, {
  UnifiedWebSocketManager as Legacy, // both names of one class
  WebSocketManagerMode,
} from '../websocket_core/manager.js';

export const all = [new Manager(), Legacy, WebSocketManagerMode.UNIFIED];
