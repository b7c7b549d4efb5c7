import type { UserExecutionContext } from '../services/user_execution_context.js';
import type { Hub } from '../legacy/hub.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

// An async legacy member whose promise the code drops (fire and forget): the rewrite is not
// awaited (the function would now wait where it did not); its rejection is handled.
export async function greet(hub: Hub, ctx: UserExecutionContext): Promise<string> {
  void createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'announce' }).catch((error: unknown) => console.error(error));
  return 'sent';
}

// The same member awaited by the code stays awaited.
export async function greetAndWait(hub: Hub, ctx: UserExecutionContext): Promise<void> {
  await createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'announce' });
}

// A synchronous legacy member that became asynchronous is still awaited in an async function.
export async function noticeNow(hub: Hub, ctx: UserExecutionContext): Promise<void> {
  await createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'notice', text: 'now' });
}
