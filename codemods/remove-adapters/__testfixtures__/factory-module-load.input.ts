import type { UserExecutionContext } from '../services/user_execution_context.js';

export async function recover(ctx: UserExecutionContext) {
  const { Factory } = await import('../legacy/manager.js');
  return Factory.getInstance(ctx);
}

export async function lazy(ctx: UserExecutionContext) {
  const { getWebSocketManager: get, Manager } = await import('../legacy/manager.js');
  const m: InstanceType<typeof Manager> = get(ctx);
  return m;
}
