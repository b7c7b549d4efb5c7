import { getWebSocketManager } from '../legacy/manager.js';

export function healthCheck(): Promise<unknown> {
  // TODO(ssot): getWebSocketManager() is the shared legacy manager: no value of type UserExecutionContext in scope; pass the request's context to createWebSocketManager(ctx)
  return getWebSocketManager().emit('health', {});
}
