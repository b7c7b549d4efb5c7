/** Reads the manager mode from config; compares the two duplicate enums (same values, distinct types). */
import { WebSocketManagerMode } from '../websocket_core/unified_manager.js';
import { WebSocketManagerMode as ManagerMode } from '../websocket_core/websocket_manager.js';

export function parseMode(value: string | undefined): WebSocketManagerMode {
  switch (value) {
    case ManagerMode.ISOLATED:
      return WebSocketManagerMode.ISOLATED;
    case ManagerMode.EMERGENCY:
      return WebSocketManagerMode.EMERGENCY;
    case ManagerMode.DEGRADED:
      return WebSocketManagerMode.DEGRADED;
    default:
      return WebSocketManagerMode.UNIFIED;
  }
}
