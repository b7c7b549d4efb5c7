import {
  ManagerProtocol,
  WebSocketManagerProtocol,
} from '../websocket_core/protocols.js';

export function f(a: ManagerProtocol, b: WebSocketManagerProtocol): void {
  a.send();
  b.send();
}
