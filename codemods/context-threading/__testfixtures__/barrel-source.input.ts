import { getWebSocketManager } from '../legacy/manager.js';

export function reexported(text: string): Promise<unknown> {
  return getWebSocketManager().emit('notice', { text });
}
