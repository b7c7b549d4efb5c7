import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

// `hub` only feeds a member whose template builds the manager it needs: the const goes
function greet(ctx: UserExecutionContext): void {
  void createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'notice', text: 'hello' }).catch((error: unknown) => console.error(error));
}

export function onConnect(ctx: UserExecutionContext): void {
  greet(ctx);
}
