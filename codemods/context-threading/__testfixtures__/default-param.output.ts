import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

function send(kind: string, ctx: UserExecutionContext, retries = 3): Promise<unknown> {
  return createWebSocketManager(ctx).emit(kind, { retries });
}

export async function run(ctx: UserExecutionContext): Promise<void> {
  await send('start', ctx);
  await send('end', ctx, 5);
}
