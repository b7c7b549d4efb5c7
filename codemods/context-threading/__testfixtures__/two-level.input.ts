import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

function inner(step: string): Promise<unknown> {
  return getWebSocketManager().emit('step', { step });
}

function middle(step: string): Promise<unknown> {
  return inner(step);
}

export async function outer(ctx: UserExecutionContext): Promise<void> {
  await middle('a');
  await middle('b');
}
