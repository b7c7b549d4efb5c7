import { sharedHub, type Hub, type Socket } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

export function shout(hub: Hub, userId: string, socket: Socket): string {
  return hubOperations().connect(userId, socket).toUpperCase();
}

export function fromShared(userId: string): boolean {
  // the receiver is a call the template would drop
  // TODO(ssot): the template of Hub.isOnline does not use the receiver, and `sharedHub()` may have side effects; bind it to a const first
  return sharedHub().isOnline(userId);
}
