import { makeContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export async function job(userId: string): Promise<void> {
  const requestCtx = makeContext(userId);
  const manager = createWebSocketManager(requestCtx);
  await manager.emit('agent_started', { agentName: 'job' });
}
