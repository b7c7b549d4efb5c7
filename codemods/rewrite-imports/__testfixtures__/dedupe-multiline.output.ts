import {
  WebSocketManagerProtocol,
} from 'ssot-migrate/canonical';

export function f(a: WebSocketManagerProtocol, b: WebSocketManagerProtocol): void {
  a.send();
  b.send();
}
