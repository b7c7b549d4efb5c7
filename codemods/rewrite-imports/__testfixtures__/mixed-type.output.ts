import { type WebSocketManagerProtocol, WebSocketManagerMode } from 'ssot-migrate/canonical';

export function use(p: WebSocketManagerProtocol): WebSocketManagerMode {
  p.send();
  return WebSocketManagerMode.UNIFIED;
}
