import { Hub, type HubEvent, type Socket } from '../legacy/hub.js';

export class Gateway {
  constructor(private readonly hub: Hub) {}

  open(userId: string, socket: Socket): string {
    const id = this.hub.attach(userId, socket);
    this.hub.publish(userId, { type: 'welcome', id });
    return id;
  }

  online(userId: string): boolean {
    return this.hub.isOnline(userId) && this.hub.isOnline(userId.trim());
  }
}

export function send(hub: Hub, userId: string, event: HubEvent): number {
  // the argument is an expression: kept whole
  return hub.publish(userId || 'anonymous', event);
}
