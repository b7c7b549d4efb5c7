// Invoice handling that talks to the WebSocket layer.
import type { UserExecutionContext } from '../services/user_execution_context.js';

export function userOf(ctx: UserExecutionContext): string {
  return ctx.userId;
}
