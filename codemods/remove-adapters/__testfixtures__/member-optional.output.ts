import type { Hub } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

export function maybeSend(hub: Hub | undefined, userId: string): void {
  (hub == null ? undefined : hubOperations().sendToUser(userId, { type: 'ping' }));
}

export function maybeOnline(holder: { hub?: Hub } | undefined, userId: string): boolean | undefined {
  return (holder?.hub == null ? undefined : hubOperations().isOnline(userId));
}
