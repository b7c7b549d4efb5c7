import type { Hub } from '../legacy/hub.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

// a member whose template builds the user's manager ($user) is a site like a factory call
function remindLater(hub: Hub, ctx: UserExecutionContext): void {
  void createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'notice', text: 'later' }).catch((error: unknown) => console.error(error));
}

// a $ctx template too
async function refresh(hub: Hub, ctx: UserExecutionContext): Promise<unknown> {
  return ctx ? createWebSocketManager(ctx).emit('status', {}) : Promise.resolve(undefined);
}

export async function onRequest(hub: Hub, ctx: UserExecutionContext): Promise<void> {
  remindLater(hub, ctx);
  await refresh(hub, ctx);
}
