/** Loads the factory on first use: a dynamic import() inside a function. */
import type { UserExecutionContext } from './user_execution_context.js';

export async function notifyLater(ctx: UserExecutionContext, message: string): Promise<void> {
  const { createWebSocketManager } = await import('../websocket_core/websocket_manager_factory.js');
  const manager = createWebSocketManager(ctx);
  await manager.sendToUser(ctx.userId, { type: 'notification', message });
}

export async function loadManagerModule() {
  return import('../websocket_core/unified_manager.js');
}
