import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

export const shared = getWebSocketManager();

export function fine(ctx: UserExecutionContext): unknown {
  return getWebSocketManager(ctx);
}
