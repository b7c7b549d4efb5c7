import { getWebSocketManager } from '../legacy/manager.js';

export function announce(text: string): Promise<unknown> {
  return getWebSocketManager().emit('announce', { text });
}
