import type { UserExecutionContext } from '../services/user_execution_context.js';
import { Factory } from '../legacy/manager.js';

export class Registry {
  constructor(readonly ctx: UserExecutionContext) {}

  // a static member has no instance: this.ctx is not in scope here
  static shared() {
    return Factory.getInstance();
  }
}
