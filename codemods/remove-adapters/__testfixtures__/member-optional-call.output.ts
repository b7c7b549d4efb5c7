import type { Hub } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

// `?.(` tests the member, not the receiver: an optional member is left to a person (its template
// would always run), a member that is always there is called as it would be
export function optionalMember(hub: Hub, userId: string): number | undefined {
  // TODO(ssot)[Hub.stats]: Hub.stats is called only when present (`?.()`), which its template cannot test; rewrite it by hand
  return hub.stats?.(userId);
}

export function presentMember(hub: Hub, userId: string): boolean | undefined {
  return hubOperations().isOnline(userId);
}

// `?.` before the member tests the receiver
export function optionalReceiver(hub: Hub | undefined, userId: string): boolean | undefined {
  return (hub == null ? undefined : hubOperations().isOnline(userId));
}

export function both(hub: Hub | undefined, userId: string): number | undefined {
  // TODO(ssot)[Hub.stats]: Hub.stats is called only when present (`?.()`), which its template cannot test; rewrite it by hand
  return hub?.stats?.(userId);
}

export function chained(holder: { hub?: Hub } | undefined, userId: string): boolean | undefined {
  return (holder?.hub == null ? undefined : hubOperations().isOnline(userId));
}
