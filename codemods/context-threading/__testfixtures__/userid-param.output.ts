import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

function pushNotice(ctx: UserExecutionContext, text: string): Promise<unknown> {
  return createWebSocketManager(ctx).emit('notice', { user: ctx.userId, text, userId: ctx.userId });
}

export function onMessage(ctx: UserExecutionContext, text: string): Promise<unknown> {
  return pushNotice(ctx, text);
}
