import { sharedHub, type Hub, type Socket } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

export function shout(hub: Hub, userId: string, socket: Socket): string {
  return hubOperations().connect(userId, socket).toUpperCase();
}

export function fromShared(userId: string): boolean {
  // the receiver is a call into app code the template does not use: it still runs, first
  return (sharedHub(), hubOperations().isOnline(userId));
}

export function pushShared(userId: string, seen: string[]): number {
  // with an argument that acts too: the receiver, then the argument, each once
  return ((_$m, $2) => hubOperations().sendToUser(userId, $2))(sharedHub(), { type: 'seen', n: seen.push(userId) });
}

export function fromSharedOptional(userId: string): boolean | undefined {
  // tested and evaluated would run it twice: marked
  // TODO(ssot)[Hub.isOnline]: the template of Hub.isOnline does not use the receiver, and `sharedHub()` may have side effects; bind it to a const first
  return sharedHub()?.isOnline(userId);
}
