import {
  createWebSocketManager,
  type UserExecutionContext,
} from 'ssot-migrate/canonical';
import { WebSocketManagerMode, UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

export function f(ctx: UserExecutionContext) {
  return [createWebSocketManager, ctx, WebSocketManagerMode.UNIFIED, UnifiedWebSocketManager];
}
