import type { WebSocketManagerProtocol, WebSocketManagerProtocol as P } from 'ssot-migrate/canonical';

export function use(p: WebSocketManagerProtocol, q: P): void {
  p.send();
  q.send();
}
