import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

function pushNotice(userId: string, text: string): Promise<unknown> {
  return getWebSocketManager().emit('notice', { user: userId, text, userId });
}

export function onMessage(ctx: UserExecutionContext, text: string): Promise<unknown> {
  return pushNotice(ctx.userId, text);
}
