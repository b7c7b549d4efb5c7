import type { Hub } from '../legacy/hub.js';

export function online(hub: Hub, userId: string): boolean {
  // TODO(ssot): members of Hub are destructured from `hub`, one Hub among any (no instances[] entry names it): a method taken off it runs with `this` undefined and a property is read once here, neither of which a template applied at each use reproduces — call them on the object so their templates apply, or rewrite by hand
  const { isOnline } = hub;
  return isOnline.call(hub, userId);
}
