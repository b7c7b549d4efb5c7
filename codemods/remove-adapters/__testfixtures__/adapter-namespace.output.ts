import type { UserExecutionContext } from '../services/user_execution_context.js';
import { createWebSocketManager } from 'ssot-migrate/canonical';

/** The adapter's class reached through a namespace import: `new ns.Adapter(m)` unwraps like `new Adapter(m)`. */
export async function report(ctx: UserExecutionContext): Promise<void> {
  const adapter = createWebSocketManager(ctx);
  await adapter.emit('agent_started', { agentName: 'digest' });
  await adapter.emit('agent_completed', { status: 'completed', finalResponse: 'done' });
}

/** … and through a barrel that re-declares it as a const of its own (a strangled barrel): unwrapped by what it constructs. */
export async function digest(ctx: UserExecutionContext): Promise<void> {
  const adapter = createWebSocketManager(ctx);
  await adapter.emit('agent_started', { agentName: 'digest' });
}
