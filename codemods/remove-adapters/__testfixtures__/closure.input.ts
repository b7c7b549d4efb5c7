import type { UserExecutionContext } from '../services/user_execution_context.js';
import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';
import { getWebSocketManager } from '../legacy/manager.js';

export function thinkAll(ctx: UserExecutionContext, thoughts: string[]): Promise<void[]> {
  const adapter = new WebSocketManagerAdapter(getWebSocketManager(ctx), ctx);
  return Promise.all(thoughts.map(async (t) => {
    const again = getWebSocketManager();
    void again;
    await adapter.notifyAgentThinking(t);
  }));
}
