/** Health endpoint: aliased imports, as in `... import UnifiedWebSocketManager as BroadcastManager`. */
import { UnifiedWebSocketManager as BroadcastManager, getWebSocketManager as getManager } from '../websocket_core/unified_manager.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  connections: number;
  users: number;
}

export function websocketHealth(manager: BroadcastManager = getManager()): HealthReport {
  const stats = manager.getStats();
  return { status: stats.totalConnections > 0 ? 'ok' : 'degraded', connections: stats.totalConnections, users: stats.uniqueUsers };
}
