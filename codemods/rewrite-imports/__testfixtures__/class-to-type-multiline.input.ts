import {
  LegacyProtocolImpl, // was a class, the canonical name is an interface
} from '../websocket_core/unified_manager.js';

export function f(p: LegacyProtocolImpl): void {
  p.send();
}
