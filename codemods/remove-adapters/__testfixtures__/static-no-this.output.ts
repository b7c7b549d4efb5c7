import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export class Registry {
  constructor(readonly ctx: UserExecutionContext) {}

  // a static member has no instance: this.ctx is not in scope here
  static shared(ctx: UserExecutionContext) {
    return createWebSocketManager(ctx);
  }
}
