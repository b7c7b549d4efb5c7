import type { UserExecutionContext } from '../services/user_execution_context.js';
import type { Hub } from '../legacy/hub.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export function noticeAll(hub: Hub, ctx: UserExecutionContext, users: string[]): void {
  users.forEach((u) => void createWebSocketManager(ctx).sendToUser(u, { type: 'notice', text: 'hello' }).catch((error: unknown) => console.error(error)));
  void createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'notice', text: 'sent' }).catch((error: unknown) => console.error(error));
}

export async function noticeOne(hub: Hub, ctx: UserExecutionContext): Promise<void> {
  await createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'notice', text: 'one' });
}
