export function lazy() {
  // a factory entry reached through require(): its calls are remove-adapters' (the load waits whole)
  const { WebSocketManagerFactory, UnifiedWebSocketManager } = require('../websocket_core/unified_manager');
  const m: InstanceType<typeof UnifiedWebSocketManager> = WebSocketManagerFactory.getInstance();
  return m;
}

export async function later() {
  const { WebSocketManagerFactory } = await import('../websocket_core/unified_manager.js');
  return WebSocketManagerFactory.getInstance();
}

export function called() {
  // only ever called: it becomes the canonical factory's call, and remove-adapters supplies the context
  const { createWebSocketManager } = require('ssot-migrate/canonical');
  return createWebSocketManager();
}
