import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

function send(kind: string, retries = 3): Promise<unknown> {
  return getWebSocketManager().emit(kind, { retries });
}

export async function run(ctx: UserExecutionContext): Promise<void> {
  await send('start');
  await send('end', 5);
}
