import type { UserExecutionContext } from '../context';
import { createWebSocketManager } from 'ssot-migrate/canonical';

export async function think(ctx: UserExecutionContext, text: string): Promise<void> {
  await createWebSocketManager(ctx).emit('agent_thinking', { reasoning: text });
}
