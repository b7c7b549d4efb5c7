import { sharedHub, type Hub, type Socket } from '../legacy/hub.js';

export function shout(hub: Hub, userId: string, socket: Socket): string {
  return hub.attach(userId, socket).toUpperCase();
}

export function fromShared(userId: string): boolean {
  // the receiver is a call the template would drop
  return sharedHub().isOnline(userId);
}
