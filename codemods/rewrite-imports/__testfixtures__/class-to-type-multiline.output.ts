import type {
  WebSocketManagerProtocol, // was a class, the canonical name is an interface
} from 'ssot-migrate/canonical';

export function f(p: WebSocketManagerProtocol): void {
  p.send();
}
