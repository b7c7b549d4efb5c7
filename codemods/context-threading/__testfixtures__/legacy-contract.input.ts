import type { Publisher } from '../legacy/manager.js';
import { getWebSocketManager } from '../legacy/manager.js';

// the interface lives in a legacy module (it goes away with it): not a boundary
export class NoticePublisher implements Publisher {
  async publish(userId: string, text: string): Promise<boolean> {
    await getWebSocketManager().emit('notice', { userId, text });
    return true;
  }
}
