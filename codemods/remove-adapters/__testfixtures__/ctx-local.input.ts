import { makeContext } from '../services/user_execution_context.js';
import { Factory } from '../legacy/manager.js';

export async function job(userId: string): Promise<void> {
  const requestCtx = makeContext(userId);
  const manager = Factory.getInstance();
  await manager.emit('agent_started', { agentName: 'job' });
}
