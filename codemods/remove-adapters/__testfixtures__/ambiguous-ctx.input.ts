import type { UserExecutionContext } from '../services/user_execution_context.js';
import { getWebSocketManager } from '../legacy/manager.js';

export function relay(from: UserExecutionContext, to: UserExecutionContext): Promise<unknown> {
  void from;
  void to;
  return getWebSocketManager().emit('relay', {});
}
