import type { UserExecutionContext } from '../services/user_execution_context.js';
import * as legacy from '../legacy/manager.js';

export class Session {
  constructor(private readonly userCtx: UserExecutionContext) {}

  manager() {
    return legacy.getWebSocketManager();
  }
}
