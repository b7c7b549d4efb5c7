// a local alias that keeps a legacy name: the binding takes the canonical name (scope-aware)
import { type WebSocketManagerProtocol, type WebSocketManager } from 'ssot-migrate/canonical';

export function open(m: WebSocketManager): WebSocketManager {
  const p: WebSocketManagerProtocol | undefined = undefined;
  return p ?? m;
}

// a type parameter of the same name is another binding and keeps its name
export function shadow<ManagerProtocol>(x: ManagerProtocol): ManagerProtocol {
  return x;
}

export type P = WebSocketManagerProtocol;
