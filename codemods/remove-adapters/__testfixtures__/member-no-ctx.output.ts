import type { Hub } from '../legacy/hub.js';

export function remind(hub: Hub, userId: string): void {
  // TODO(ssot): Hub.notify becomes canonical code that needs the request's context: no value of type UserExecutionContext in scope; pass the request's context to createWebSocketManager(ctx)
  hub.notify(userId, 'reminder');
}
