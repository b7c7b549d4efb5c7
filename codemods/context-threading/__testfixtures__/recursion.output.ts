import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

function countdown(n: number, ctx: UserExecutionContext): Promise<unknown> {
  if (n > 0) return countdown(n - 1, ctx);
  return createWebSocketManager(ctx).emit('done', {});
}

function ping(n: number, ctx: UserExecutionContext): Promise<unknown> {
  return n > 0 ? pong(n - 1, ctx) : createWebSocketManager(ctx).emit('ping', {});
}

function pong(n: number, ctx: UserExecutionContext): Promise<unknown> {
  return ping(n, ctx);
}

export async function start(ctx: UserExecutionContext): Promise<void> {
  await countdown(3, ctx);
  await pong(2, ctx);
}
