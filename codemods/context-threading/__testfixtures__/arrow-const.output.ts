import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

const ping = (text: string, ctx: UserExecutionContext): Promise<unknown> => createWebSocketManager(ctx).emit('ping', { text });

const twice = async (text: string, ctx: UserExecutionContext): Promise<void> => {
  await ping(text, ctx);
  await ping(text, ctx);
};

export function handler(ctx: UserExecutionContext): Promise<void> {
  return twice('hi', ctx);
}
