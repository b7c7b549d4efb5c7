import type { UserExecutionContext } from '../services/user_execution_context.js';
import { WebSocketManagerAdapter, WebSocketManagerAdapter as Pusher } from '../legacy/agent_registry.js';
import { Factory } from '../legacy/manager.js';

// the adapter built by its own static method: unwrapped like `new WebSocketManagerAdapter(m)`
export async function started(ctx: UserExecutionContext): Promise<void> {
  const adapter = WebSocketManagerAdapter.forManager(ctx, Factory.getInstance(ctx));
  await adapter.notifyAgentStarted('a');
}

// inline, through an alias, the manager argument itself rewritten
export async function thinking(ctx: UserExecutionContext): Promise<void> {
  await Pusher.forManager(undefined, Factory.getInstance(ctx)).notifyAgentThinking('hmm');
}

// a static factory with no manager argument: a person decides
export async function own(ctx: UserExecutionContext): Promise<void> {
  await WebSocketManagerAdapter.fromContext(ctx).notifyAgentStarted('b');
}

// a static method that is no factory: left alone
export function label(): string {
  return WebSocketManagerAdapter.label();
}

// the adapter's scope property (adapters[].scope) read on the value that becomes the manager
export async function runOf(ctx: UserExecutionContext): Promise<string | undefined> {
  const adapter = WebSocketManagerAdapter.forManager(ctx, Factory.getInstance(ctx));
  await adapter.notifyAgentStarted('c');
  return adapter.runOf;
}
