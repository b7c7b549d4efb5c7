import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

function helper(text: string): Promise<unknown> {
  return getWebSocketManager().emit('notice', { text });
}

export function publicEntry(text: string): Promise<unknown> {
  void getWebSocketManager();
  return helper(text);
}

export function internalEntry(ctx: UserExecutionContext): Promise<unknown> {
  return helper(ctx.threadId);
}
