export function lazy() {
  // loaded on demand
  const { getWebSocketManager } = require('../websocket_core/unified_manager');
  return getWebSocketManager();
}

export async function lazier() {
  const { UnifiedWebSocketManager: M } = await import('../websocket_core/unified_manager.js');
  return new M();
}
