import type { Publisher } from '../legacy/manager.js';
import { getWebSocketManager } from '../legacy/manager.js';

// the interface lives in a legacy module (it goes away with it): not a boundary
export class NoticePublisher implements Publisher {
  async publish(userId: string, text: string): Promise<boolean> {
    await getWebSocketManager().emit('notice', { userId, text });
    return true;
  }
}

interface Named { readonly name: string }

// only the legacy entry goes; the import goes once neither class names it
export class NamedPublisher implements Named, Publisher {
  readonly name = 'named';

  async publish(userId: string, text: string): Promise<boolean> {
    await getWebSocketManager().emit('named', { userId, text });
    return true;
  }
}
