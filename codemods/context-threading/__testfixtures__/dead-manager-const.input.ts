import { sharedHub } from '../legacy/hub.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

// `hub` only feeds a member whose template builds the manager it needs: the const goes
function greet(userId: string): void {
  const hub = sharedHub();
  hub.notify(userId, 'hello');
}

export function onConnect(ctx: UserExecutionContext): void {
  greet(ctx.userId);
}
