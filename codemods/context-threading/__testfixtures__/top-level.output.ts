import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

// TODO(ssot): getWebSocketManager() is the shared legacy manager: no value of type UserExecutionContext in scope, and threading it stops at a boundary: getWebSocketManager() at src/app/top-level.ts:4 → boundary: at module top level, in a property initializer or an accessor (no parameter to add)
export const shared = getWebSocketManager();

export function fine(ctx: UserExecutionContext): unknown {
  return createWebSocketManager(ctx);
}
