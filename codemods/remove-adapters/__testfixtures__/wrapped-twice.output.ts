import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export async function twice(ctx: UserExecutionContext): Promise<void> {
  const adapter = createWebSocketManager(ctx);
  await adapter.emit('agent_thinking', { reasoning: 'hmm' });
  await createWebSocketManager(ctx).emit('agent_started', { agentName: 'inline' });
}
