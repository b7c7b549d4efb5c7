import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

function countdown(n: number): Promise<unknown> {
  if (n > 0) return countdown(n - 1);
  return getWebSocketManager().emit('done', {});
}

function ping(n: number): Promise<unknown> {
  return n > 0 ? pong(n - 1) : getWebSocketManager().emit('ping', {});
}

function pong(n: number): Promise<unknown> {
  return ping(n);
}

export async function start(ctx: UserExecutionContext): Promise<void> {
  await countdown(3);
  await pong(2);
}
