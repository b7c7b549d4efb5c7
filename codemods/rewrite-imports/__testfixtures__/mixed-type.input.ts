import { type WebSocketManagerProtocol, WebSocketManagerMode } from '../websocket_core/websocket_manager.js';

export function use(p: WebSocketManagerProtocol): WebSocketManagerMode {
  p.send();
  return WebSocketManagerMode.UNIFIED;
}
