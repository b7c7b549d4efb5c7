// Half of a merge conflict resolution that never compiled; excluded from tsconfig.
// It must be reported by the codemods and left byte-for-byte untouched.
import { WebSocketManager } from '../websocket_core/websocket_manager.js';

export function brokenHandler(manager: WebSocketManager {
  return manager.getConnectionCount(;
}
