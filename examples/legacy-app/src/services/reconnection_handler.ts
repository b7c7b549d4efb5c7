/** Port of websocket_core/reconnection_handler.py: re-aliases the manager class under recovery names. */
import { WebSocketManager as ReconnectionHandler } from '../websocket_core/websocket_manager.js';
import type { UserExecutionContext } from './user_execution_context.js';
import { getWebSocketManager } from '../websocket_core/websocket_manager_factory.js';

export { ReconnectionHandler, ReconnectionHandler as WebSocketRecoveryManager };

export interface ReconnectionConfig {
  maxRetries: number;
  initialDelaySeconds: number;
  maxDelaySeconds: number;
  backoffMultiplier: number;
}

export const DEFAULT_RECONNECTION_CONFIG: ReconnectionConfig = { maxRetries: 5, initialDelaySeconds: 1, maxDelaySeconds: 30, backoffMultiplier: 2 };

export function getReconnectionHandler(ctx?: UserExecutionContext): ReconnectionHandler | undefined {
  if (!ctx) return undefined;
  return getWebSocketManager(ctx);
}
