import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export function healthCheck(ctx: UserExecutionContext): Promise<unknown> {
  return createWebSocketManager(ctx).emit('health', {});
}
