import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export function lazy(ctx: UserExecutionContext) {
  return createWebSocketManager(ctx);
}

export function viaModule(ctx: UserExecutionContext) {
  return createWebSocketManager(ctx);
}
