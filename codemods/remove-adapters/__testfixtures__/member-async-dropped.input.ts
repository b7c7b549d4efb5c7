import type { UserExecutionContext } from '../services/user_execution_context.js';
import type { Hub } from '../legacy/hub.js';

// An async legacy member whose promise the code drops (fire and forget): the rewrite is not
// awaited (the function would now wait where it did not); its rejection is handled.
export async function greet(hub: Hub, ctx: UserExecutionContext): Promise<string> {
  hub.announce(ctx.userId);
  return 'sent';
}

// The same member awaited by the code stays awaited.
export async function greetAndWait(hub: Hub, ctx: UserExecutionContext): Promise<void> {
  await hub.announce(ctx.userId);
}

// A synchronous legacy member that became asynchronous is still awaited in an async function.
export async function noticeNow(hub: Hub, ctx: UserExecutionContext): Promise<void> {
  hub.notify(ctx.userId, 'now');
}
