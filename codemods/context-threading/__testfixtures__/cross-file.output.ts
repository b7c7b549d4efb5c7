import type { UserExecutionContext } from '../services/user_execution_context.js';
import { announce } from './import-added.js';

export function go(ctx: UserExecutionContext): Promise<unknown> {
  return announce(`hello ${ctx.userId}`, ctx);
}
