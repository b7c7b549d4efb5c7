import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

function inner(step: string, ctx: UserExecutionContext): Promise<unknown> {
  return createWebSocketManager(ctx).emit('step', { step });
}

function middle(step: string, ctx: UserExecutionContext): Promise<unknown> {
  return inner(step, ctx);
}

export async function outer(ctx: UserExecutionContext): Promise<void> {
  await middle('a', ctx);
  await middle('b', ctx);
}
