import type { UserExecutionContext } from '../services/user_execution_context.js';
import { getWebSocketManager } from '../legacy/manager.js';

export function relay(from: UserExecutionContext, to: UserExecutionContext): Promise<unknown> {
  void from;
  void to;
  // TODO(ssot): getWebSocketManager() is the shared legacy manager: several values of type UserExecutionContext in scope (from, to); pick the one the manager is for
  return getWebSocketManager().emit('relay', {});
}
