import { Hub, type HubEvent, type Socket } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

export class Gateway {
  constructor(private readonly hub: Hub) {}

  open(userId: string, socket: Socket): string {
    const hub = hubOperations();
    const id = hub.connect(userId, socket);
    hub.sendToUser(userId, { type: 'welcome', id });
    return id;
  }

  online(userId: string): boolean {
    return hubOperations().isOnline(userId) && hubOperations().isOnline(userId.trim());
  }
}

export function send(hub: Hub, userId: string, event: HubEvent): number {
  // the argument is an expression: kept whole
  return hubOperations().sendToUser(userId || 'anonymous', event);
}
