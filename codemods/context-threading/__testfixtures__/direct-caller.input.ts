import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

function notify(message: string): Promise<unknown> {
  return getWebSocketManager().emit('notice', { message });
}

export function handle(ctx: UserExecutionContext, message: string): Promise<unknown> {
  return notify(message);
}
