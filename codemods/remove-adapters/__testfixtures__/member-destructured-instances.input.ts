import { Hub } from '../legacy/hub.js';

// Members destructured from instances that are not one singleton: each stays, marked with why.
export function fresh(userId: string): number {
  const { publish } = new Hub();
  return publish(userId, { type: 'fresh' });
}

export class Desk {
  constructor(private readonly hub: Hub) {}

  online(userId: string): boolean {
    const { isOnline } = this.hub;
    return isOnline(userId);
  }
}
