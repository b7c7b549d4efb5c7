/** Loads the factory on first use: a dynamic import() inside a function. */
import type { UserExecutionContext } from './user_execution_context.js';

export async function notifyLater(ctx: UserExecutionContext, message: string): Promise<void> {
  const { createWebSocketManager } = await import('ssot-migrate/canonical');
  await createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'notification', message });
}

export async function loadManagerModule() {
  return import('../websocket_core/unified_manager.js');
}
