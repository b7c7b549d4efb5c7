/** Runs a pipeline of agents; type-only import of the manager (the original's TYPE_CHECKING import). */
import type { UnifiedWebSocketManager } from '../../websocket_core/unified_manager.js';
import { WebSocketManagerAdapter } from './agent_registry.js';
import type { UserExecutionContext } from '../../services/user_execution_context.js';

export async function runPipeline(manager: UnifiedWebSocketManager, ctx: UserExecutionContext, agents: string[]): Promise<void> {
  const notifier = new WebSocketManagerAdapter(manager, ctx);
  for (const agent of agents) {
    await notifier.notifyAgentStarted(agent);
    await notifier.notifyAgentThinking(`${agent} is reviewing the previous step's output`);
  }
  await notifier.notifyAgentCompleted(`pipeline of ${agents.length} agents finished`);
}
