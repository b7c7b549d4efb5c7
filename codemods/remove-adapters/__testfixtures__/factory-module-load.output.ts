import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export async function recover(ctx: UserExecutionContext) {
  return createWebSocketManager(ctx);
}

export async function lazy(ctx: UserExecutionContext) {
  const { Manager } = await import('../legacy/manager.js');
  const m: InstanceType<typeof Manager> = createWebSocketManager(ctx);
  return m;
}
