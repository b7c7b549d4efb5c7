/** Connection monitor: a namespace import of the package index (`import * as ws_core`). */
import * as ws_core from '../websocket_core/index.js';

export function describeUser(userId: string): string {
  const manager = ws_core.getWebSocketManager();
  const health = manager.getConnectionHealth(userId);
  const mode = manager.mode === ws_core.WebSocketManagerMode.ISOLATED ? 'isolated' : 'unified';
  return `${userId}: ${health.activeConnections}/${health.totalConnections} active (${mode})`;
}

export function isCriticalEvent(eventType: string): boolean {
  return (ws_core.CRITICAL_EVENTS as readonly string[]).includes(eventType);
}
