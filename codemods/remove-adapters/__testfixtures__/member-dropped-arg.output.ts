import type { Hub, HubEvent } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

declare function audit(event: HubEvent): string;
declare function next(): string;

// an argument the template does not use still runs when it may have side effects (before the template,
// in a comma expression); a pure one goes (a string template of strings is pure)
export function send(hub: Hub, userId: string, event: HubEvent, note: string): number {
  (audit(event), hubOperations().sendToUser(userId, event));
  const hub2 = hubOperations();
  hub2.sendToUser(userId, event);
  return hub2.sendToUser(userId, event) + hub2.sendToUser(userId, event);
}

// an argument the template uses once is rewritten whatever it is
export function ping(hub: Hub): boolean {
  return hubOperations().isOnline(next());
}
