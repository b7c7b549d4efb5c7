import type { UserExecutionContext } from '../services/user_execution_context.js';
import { getWebSocketManager } from '../legacy/manager.js';

export async function announce(context: UserExecutionContext, text: string): Promise<void> {
  // the legacy call takes no context: the one in scope is found by its type
  const manager = getWebSocketManager();
  await manager.emit('agent_thinking', { reasoning: text });
}
