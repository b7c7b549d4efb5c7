import type { UserExecutionContext } from '../services/user_execution_context.js';
import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';
import { Factory } from '../legacy/manager.js';

export function adapterFor(ctx: UserExecutionContext): WebSocketManagerAdapter {
  return new WebSocketManagerAdapter(Factory.getInstance(ctx), ctx);
}

export async function finish(ctx: UserExecutionContext, status: string): Promise<void> {
  await adapterFor(ctx).notifyAgentCompleted('bye', status);
}
