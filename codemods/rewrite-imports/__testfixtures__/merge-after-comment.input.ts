import {
  createWebSocketManager, // the factory
  type UserExecutionContext, // per-request context
} from 'ssot-migrate/canonical';
import {
  UnifiedWebSocketManager, // legacy class
} from '../websocket_core/unified_manager.js';
import { ManagerProtocol } from '../websocket_core/protocols.js';

export function f(ctx: UserExecutionContext, p: ManagerProtocol) {
  return [createWebSocketManager, ctx, p, UnifiedWebSocketManager];
}
