// Members destructured from the default-imported object manager.
import manager from '../legacy/ws.js';

const { notify } = manager;

export function push(userId: string, event: string): void {
  notify(userId, { type: 'event', event });
}
