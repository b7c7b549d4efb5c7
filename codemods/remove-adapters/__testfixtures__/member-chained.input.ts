import { sharedHub, type Hub, type Socket } from '../legacy/hub.js';

export function shout(hub: Hub, userId: string, socket: Socket): string {
  return hub.attach(userId, socket).toUpperCase();
}

export function fromShared(userId: string): boolean {
  // the receiver is a call into app code the template does not use: it still runs, first
  return sharedHub().isOnline(userId);
}

export function pushShared(userId: string, seen: string[]): number {
  // with an argument that acts too: the receiver, then the argument, each once
  return sharedHub().publish(userId, { type: 'seen', n: seen.push(userId) });
}

export function fromSharedOptional(userId: string): boolean | undefined {
  // tested and evaluated would run it twice: marked
  return sharedHub()?.isOnline(userId);
}
