import type { UserExecutionContext } from '../services/user_execution_context.js';
import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

// the adapter built by its own static method: unwrapped like `new WebSocketManagerAdapter(m)`
export async function started(ctx: UserExecutionContext): Promise<void> {
  const adapter = createWebSocketManager(ctx);
  await adapter.emit('agent_started', { agentName: 'a' });
}

// inline, through an alias, the manager argument itself rewritten
export async function thinking(ctx: UserExecutionContext): Promise<void> {
  await createWebSocketManager(ctx).emit('agent_thinking', { reasoning: 'hmm' });
}

// a static factory with no manager argument: a person decides
export async function own(ctx: UserExecutionContext): Promise<void> {
  // TODO(ssot): WebSocketManagerAdapter.fromContext(…) builds the adapter but no single argument of it is the wrapped manager; replace it by hand
  await WebSocketManagerAdapter.fromContext(ctx).notifyAgentStarted('b');
}

// a static method that is no factory: left alone
export function label(): string {
  return WebSocketManagerAdapter.label();
}

// the adapter's scope property (adapters[].scope) read on the value that becomes the manager
export async function runOf(ctx: UserExecutionContext): Promise<string | undefined> {
  const adapter = createWebSocketManager(ctx);
  await adapter.emit('agent_started', { agentName: 'c' });
  return adapter.context.runId;
}
