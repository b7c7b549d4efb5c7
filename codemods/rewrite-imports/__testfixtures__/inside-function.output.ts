export function lazy() {
  // loaded on demand
  const { createWebSocketManager: getWebSocketManager } = require('ssot-migrate/canonical');
  return getWebSocketManager();
}

export async function lazier() {
  const { WebSocketManager: M } = await import('ssot-migrate/canonical');
  return new M();
}
