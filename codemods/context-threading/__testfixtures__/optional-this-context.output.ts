import { type ScopedWebSocketManager, createWebSocketManager } from 'ssot-migrate/canonical';
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
