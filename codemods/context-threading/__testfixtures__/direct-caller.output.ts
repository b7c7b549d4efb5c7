import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

function notify(message: string, ctx: UserExecutionContext): Promise<unknown> {
  return createWebSocketManager(ctx).emit('notice', { message });
}

export function handle(ctx: UserExecutionContext, message: string): Promise<unknown> {
  return notify(message, ctx);
}
