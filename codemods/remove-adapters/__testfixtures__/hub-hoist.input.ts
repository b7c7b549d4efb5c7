import type { Hub, HubEvent } from '../legacy/hub.js';

declare function audit(event: HubEvent): void;
declare function settle(): Promise<void>;

// Rewritten calls in a row, with nothing between them that can replace the process hub: one
// `const hub = hubOperations()` where the first call was (hoist-hub.ts).
export function welcome(h: Hub, userId: string, event: HubEvent): number {
  h.publish(userId, event);
  const n = h.twice(userId, event);
  return n + (h.isOnline(userId) ? 1 : 0);
}

// An app call between two uses could replace the hub (setDefaultHub, closing it): each keeps its own call.
export function audited(h: Hub, userId: string, event: HubEvent): void {
  h.publish(userId, event);
  audit(event);
  h.publish(userId, event);
}

// So could another task during an await.
export async function later(h: Hub, userId: string, event: HubEvent): Promise<void> {
  h.publish(userId, event);
  await settle();
  h.publish(userId, event);
}

// The first call runs only when `ready` is true: hoisting it would call hubOperations() where the original did not.
export function maybe(h: Hub, ready: boolean, userId: string, event: HubEvent): void {
  if (ready) h.publish(userId, event);
  void (ready && h.publish(userId, event));
  h.publish(userId, event);
}

// A callback runs later: its call is left as written and does not count.
export function deferred(h: Hub, userId: string, event: HubEvent): () => number {
  const again = (): number => h.publish(userId, event);
  h.publish(userId, event);
  return again;
}

// `hub` is taken in this function (a parameter): the const takes another name.
export function named(hub: Hub, userId: string, event: HubEvent): number {
  hub.publish(userId, event);
  return hub.publish(userId, event);
}
