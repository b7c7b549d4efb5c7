import { type ScopedWebSocketManager, createWebSocketManager } from 'ssot-migrate/canonical';
import type { Hub } from '../legacy/hub.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

// an accessor takes no parameter, but the instance holds an optional context: the one it serves
export class Notifier {
  private manager: ScopedWebSocketManager | undefined;

  constructor(readonly userContext?: UserExecutionContext) {}

  get current(): ScopedWebSocketManager {
    this.manager ??= createWebSocketManager(this.userContext!);
    return this.manager;
  }
}

export class Reminder {
  constructor(private readonly hub: Hub, readonly userContext?: UserExecutionContext) {}

  // a $ctx template tests the context itself: the optional one is in scope
  refresh(): Promise<unknown> {
    return this.userContext ? createWebSocketManager(this.userContext).emit('status', {}) : Promise.resolve(undefined);
  }

  // a $user template alone would build a manager from a context that may be undefined: left for a person
  remind(userId: string): void {
    // TODO(ssot)[Hub.notify]: Hub.notify becomes canonical code that needs the request's context: only this.userContext is in scope, and it may be undefined
    this.hub.notify(userId, 'soon');
  }
}
