import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';
import { readFileSync } from 'node:fs';

export function build(): UnifiedWebSocketManager {
  const m: UnifiedWebSocketManager = new UnifiedWebSocketManager();
  void readFileSync;
  return m;
}
