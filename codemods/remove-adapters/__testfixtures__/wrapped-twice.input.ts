import type { UserExecutionContext } from '../services/user_execution_context.js';
import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';
import { getWebSocketManager } from '../legacy/manager.js';
import { LegacyAdapter } from '../legacy/protocols.js';

export async function twice(ctx: UserExecutionContext): Promise<void> {
  const adapter = new WebSocketManagerAdapter(new LegacyAdapter(getWebSocketManager(ctx)), ctx);
  await adapter.notifyAgentThinking('hmm');
  await new WebSocketManagerAdapter(new LegacyAdapter(getWebSocketManager(ctx))).notifyAgentStarted('inline');
}
