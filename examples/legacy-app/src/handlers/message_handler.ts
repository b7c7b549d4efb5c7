/**
 * Chat message handler.
 *
 * NOTE: imports the compat module on purpose until ISSUE #1182 lands.
 */
// The compat path warns once at import time; see websocket_core/manager.ts.
import {
  WebSocketManager, // the class, re-exported
  /* the accessor */ getWebSocketManager,
} from '../websocket_core/manager.js'; // legacy path
import type { UserExecutionContext } from '../services/user_execution_context.js';

/** Echoes a chat message back to every tab of the user. */
export async function handleChatMessage(ctx: UserExecutionContext, text: string): Promise<void> {
  const manager: WebSocketManager = getWebSocketManager();
  await manager.sendToUser(ctx.userId, { type: 'user_message', text, threadId: ctx.threadId });
}
