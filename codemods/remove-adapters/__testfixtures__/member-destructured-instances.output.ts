import { Hub } from '../legacy/hub.js';

// Members destructured from instances that are not one singleton: each stays, marked with why.
export function fresh(userId: string): number {
  // TODO(ssot): members of Hub are destructured from `new Hub()`, an instance built for this destructuring alone: its constructor runs here (a rewrite would drop it), and a method taken off an instance runs with `this` undefined, which no template reproduces — call them on the object so their templates apply, or rewrite by hand
  const { publish } = new Hub();
  return publish(userId, { type: 'fresh' });
}

export class Desk {
  constructor(private readonly hub: Hub) {}

  online(userId: string): boolean {
    // TODO(ssot): members of Hub are destructured from `this.hub`, one Hub among any (no instances[] entry names it): a method taken off it runs with `this` undefined and a property is read once here, neither of which a template applied at each use reproduces — call them on the object so their templates apply, or rewrite by hand
    const { isOnline } = this.hub;
    return isOnline(userId);
  }
}
