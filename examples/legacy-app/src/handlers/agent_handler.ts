/** Handles "start_agent" messages: tsconfig `paths` alias imports, context in scope. */
import { WebSocketManagerFactory } from '@app/websocket_core/websocket_manager_factory.js';
import type { UserExecutionContext } from '@app/services/user_execution_context.js';
import { runAgent, type AgentResult } from '@app/agents/supervisor/execution_engine.js';

export async function handleStartAgent(ctx: UserExecutionContext, agentName: string, prompt: string): Promise<AgentResult> {
  const manager = WebSocketManagerFactory.getInstance(ctx);
  if (!manager.isConnectionActive(ctx.userId)) {
    await manager.sendToUser(ctx.userId, { type: 'warning', message: 'no live connection; events will be queued' });
  }
  return runAgent(ctx, { agentName, prompt });
}
