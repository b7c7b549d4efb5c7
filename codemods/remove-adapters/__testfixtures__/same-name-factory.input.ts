import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from '../legacy/manager.js';

// the legacy factory already has the canonical factory's name: the binding must move to canonical
export async function start(ctx: UserExecutionContext): Promise<void> {
  const manager = createWebSocketManager(ctx);
  await manager.emit('agent_started', { agentName: 'triage' });
}
