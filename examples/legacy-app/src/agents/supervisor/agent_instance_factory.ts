/**
 * Port of agents/supervisor/agent_instance_factory.py: one agent instance per request,
 * wired to the WebSocket layer through the adapter (and the `UserWebSocketEmitter` alias).
 */
import { createWebSocketManager } from '../../websocket_core/websocket_manager_factory.js';
import { AgentRegistry, WebSocketManagerAdapter } from './agent_registry.js';
import type { UserExecutionContext } from '../../services/user_execution_context.js';

export { WebSocketManagerAdapter as UserWebSocketEmitter } from './agent_registry.js';

export interface AgentInstance {
  readonly name: string;
  readonly context: UserExecutionContext;
  readonly notifier: WebSocketManagerAdapter;
}

const registry = new AgentRegistry();
registry.register({ name: 'triage', description: 'routes a request to the right specialist' });
registry.register({ name: 'data_helper', description: 'answers questions about the user data' });

export function createAgentInstance(name: string, context: UserExecutionContext): AgentInstance {
  if (!registry.get(name)) throw new Error(`unknown agent "${name}"`);
  const notifier = new WebSocketManagerAdapter(createWebSocketManager(context), context);
  return { name, context, notifier };
}

export async function announce(instance: AgentInstance): Promise<void> {
  await instance.notifier.notifyAgentStarted(instance.name);
}
