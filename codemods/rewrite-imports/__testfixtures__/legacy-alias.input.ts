// a local alias that keeps a legacy name: the binding takes the canonical name (scope-aware)
import { LegacyProtocolImpl as ManagerProtocol, type UnifiedWebSocketManager as UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

export function open(m: UnifiedWebSocketManager): UnifiedWebSocketManager {
  const p: ManagerProtocol | undefined = undefined;
  return p ?? m;
}

// a type parameter of the same name is another binding and keeps its name
export function shadow<ManagerProtocol>(x: ManagerProtocol): ManagerProtocol {
  return x;
}

export type P = ManagerProtocol;
