import { getWebSocketManager } from '../legacy/manager.js';

export function healthCheck(): Promise<unknown> {
  return getWebSocketManager().emit('health', {});
}
