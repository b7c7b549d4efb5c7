import type { Hub } from '../legacy/hub.js';

export function remind(hub: Hub, userId: string): void {
  hub.notify(userId, 'reminder');
}
