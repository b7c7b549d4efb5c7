import type { UserExecutionContext } from '../services/user_execution_context.js';
import type { Hub } from '../legacy/hub.js';

export function noticeAll(hub: Hub, ctx: UserExecutionContext, users: string[]): void {
  users.forEach((u) => hub.notify(u, 'hello'));
  hub.notify(ctx.userId, 'sent');
}

export async function noticeOne(hub: Hub, ctx: UserExecutionContext): Promise<void> {
  hub.notify(ctx.userId, 'one');
}
