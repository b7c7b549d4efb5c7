import type { Hub } from '../legacy/hub.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

// a member whose template builds the user's manager ($user) is a site like a factory call
function remindLater(hub: Hub, userId: string): void {
  hub.notify(userId, 'later');
}

// a $ctx template too
async function refresh(hub: Hub): Promise<unknown> {
  return hub.status();
}

export async function onRequest(hub: Hub, ctx: UserExecutionContext): Promise<void> {
  remindLater(hub, ctx.userId);
  await refresh(hub);
}
