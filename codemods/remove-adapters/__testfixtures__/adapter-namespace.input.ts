import * as registry from '../legacy/agent_registry.js';
import * as barrel from '../legacy/barrel.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';
import * as legacy from '../legacy/manager.js';

/** The adapter's class reached through a namespace import: `new ns.Adapter(m)` unwraps like `new Adapter(m)`. */
export async function report(ctx: UserExecutionContext): Promise<void> {
  const adapter = new registry.WebSocketManagerAdapter(legacy.getWebSocketManager(ctx));
  await adapter.notifyAgentStarted('digest');
  await adapter.notifyAgentCompleted('done');
}

/** … and through a barrel that re-declares it as a const of its own (a strangled barrel): unwrapped by what it constructs. */
export async function digest(ctx: UserExecutionContext): Promise<void> {
  const adapter = new barrel.WebSocketManagerAdapter(legacy.getWebSocketManager(ctx));
  await adapter.notifyAgentStarted('digest');
}
