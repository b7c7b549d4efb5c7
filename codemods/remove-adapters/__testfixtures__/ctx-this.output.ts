import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export class Session {
  constructor(private readonly userCtx: UserExecutionContext) {}

  manager() {
    return createWebSocketManager(this.userCtx);
  }
}
