import type { Hub } from '../legacy/hub.js';

export function online(hub: Hub, userId: string): boolean {
  // TODO(ssot): members of a legacy Hub are destructured; call them on the object so their templates apply, or rewrite by hand
  const { isOnline } = hub;
  return isOnline.call(hub, userId);
}
