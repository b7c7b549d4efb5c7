import type { Hub, HubEvent } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

declare function audit(event: HubEvent): void;
declare function settle(): Promise<void>;

// Rewritten calls in a row, with nothing between them that can replace the process hub: one
// `const hub = hubOperations()` where the first call was (hoist-hub.ts).
export function welcome(h: Hub, userId: string, event: HubEvent): number {
  const hub = hubOperations();
  hub.sendToUser(userId, event);
  const n = hub.sendToUser(userId, event) + hub.sendToUser(userId, event);
  return n + (hub.isOnline(userId) ? 1 : 0);
}

// An app call between two uses could replace the hub (setDefaultHub, closing it): each keeps its own call.
export function audited(h: Hub, userId: string, event: HubEvent): void {
  hubOperations().sendToUser(userId, event);
  audit(event);
  hubOperations().sendToUser(userId, event);
}

// So could another task during an await.
export async function later(h: Hub, userId: string, event: HubEvent): Promise<void> {
  hubOperations().sendToUser(userId, event);
  await settle();
  hubOperations().sendToUser(userId, event);
}

// The first call runs only when `ready` is true: hoisting it would call hubOperations() where the original did not.
export function maybe(h: Hub, ready: boolean, userId: string, event: HubEvent): void {
  if (ready) hubOperations().sendToUser(userId, event);
  void (ready && hubOperations().sendToUser(userId, event));
  hubOperations().sendToUser(userId, event);
}

// A callback runs later: its call is left as written and does not count.
export function deferred(h: Hub, userId: string, event: HubEvent): () => number {
  const again = (): number => hubOperations().sendToUser(userId, event);
  hubOperations().sendToUser(userId, event);
  return again;
}

// `hub` is taken in this function (a parameter): the const takes another name.
export function named(hub: Hub, userId: string, event: HubEvent): number {
  const hub2 = hubOperations();
  hub2.sendToUser(userId, event);
  return hub2.sendToUser(userId, event);
}
