/**
 * Recovery after a dropped connection: a dynamic import through the tsconfig `paths` alias,
 * inside a try block with a fallback to the compat module (the original had 7 such pairs).
 */
import type { UserExecutionContext } from '@app/services/user_execution_context.js';

export async function recoverManager(ctx: UserExecutionContext) {
  try {
    const { WebSocketManagerFactory } = await import('@app/websocket_core/websocket_manager_factory.js');
    return WebSocketManagerFactory.getInstance(ctx);
  } catch {
    const compat = await import('@app/websocket_core/manager.js');
    return compat.getWebSocketManager();
  }
}

export async function replayFailedMessages(ctx: UserExecutionContext): Promise<number> {
  const manager = await recoverManager(ctx);
  return manager.getFailedMessages(ctx.userId).length;
}
