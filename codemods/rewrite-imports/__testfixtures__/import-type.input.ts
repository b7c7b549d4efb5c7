import type { WebSocketManagerProtocol } from '../websocket_core/protocols.js';
import type { ManagerProtocol as P } from '../websocket_core/protocols.js';

export function use(p: WebSocketManagerProtocol, q: P): void {
  p.send();
  q.send();
}
