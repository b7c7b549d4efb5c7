import type { Hub } from '../legacy/hub.js';

export function online(hub: Hub, userId: string): boolean {
  const { isOnline } = hub;
  return isOnline.call(hub, userId);
}
