import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export function thinkAll(ctx: UserExecutionContext, thoughts: string[]): Promise<void[]> {
  const adapter = createWebSocketManager(ctx);
  return Promise.all(thoughts.map(async (t) => {
    const again = createWebSocketManager(ctx);
    void again;
    await adapter.emit('agent_thinking', { reasoning: t });
  }));
}
