import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export function announce(text: string, ctx: UserExecutionContext): Promise<unknown> {
  return createWebSocketManager(ctx).emit('announce', { text });
}
