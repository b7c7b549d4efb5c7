import type { Hub } from '../legacy/hub.js';

export function maybeSend(hub: Hub | undefined, userId: string): void {
  hub?.publish(userId, { type: 'ping' });
}

export function maybeOnline(holder: { hub?: Hub } | undefined, userId: string): boolean | undefined {
  return holder?.hub?.isOnline(userId);
}
