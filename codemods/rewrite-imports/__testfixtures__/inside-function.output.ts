export function lazy() {
  // loaded on demand
  const { createWebSocketManager } = require('ssot-migrate/canonical');
  return createWebSocketManager();
}

export async function lazier() {
  const { WebSocketManager: M } = await import('ssot-migrate/canonical');
  return new M();
}
