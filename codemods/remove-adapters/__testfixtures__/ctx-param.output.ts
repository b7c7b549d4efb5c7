import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export async function announce(context: UserExecutionContext, text: string): Promise<void> {
  // the legacy call takes no context: the one in scope is found by its type
  const manager = createWebSocketManager(context);
  await manager.emit('agent_thinking', { reasoning: text });
}
