import { getWebSocketManager } from '../legacy/manager.js';
import type { UserExecutionContext } from '../services/user_execution_context.js';

const ping = (text: string): Promise<unknown> => getWebSocketManager().emit('ping', { text });

const twice = async (text: string): Promise<void> => {
  await ping(text);
  await ping(text);
};

export function handler(ctx: UserExecutionContext): Promise<void> {
  return twice('hi');
}
