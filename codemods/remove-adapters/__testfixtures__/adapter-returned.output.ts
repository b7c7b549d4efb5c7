import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager, type ScopedWebSocketManager } from 'ssot-migrate/canonical';

export function adapterFor(ctx: UserExecutionContext): ScopedWebSocketManager {
  return createWebSocketManager(ctx);
}

export async function finish(ctx: UserExecutionContext, status: string): Promise<void> {
  await adapterFor(ctx).emit('agent_completed', { status: status ?? 'completed', finalResponse: 'bye' });
}
