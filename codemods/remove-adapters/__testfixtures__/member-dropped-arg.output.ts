import type { Hub, HubEvent } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

declare function audit(event: HubEvent): string;
declare function next(): string;

// an argument the template does not use is kept when it may have side effects (the call stays, marked)
export function send(hub: Hub, userId: string, event: HubEvent, note: string): number {
  // TODO(ssot): the template of Hub.publishNoted does not use argument 3, and `audit(event)` may have side effects; bind it to a const first
  hub.publishNoted(userId, event, audit(event));
  hubOperations().sendToUser(userId, event);
  // TODO(ssot): the template of Hub.publishNoted does not use argument 3, and ``${note}!`` may have side effects; bind it to a const first
  return hub.publishNoted(userId, event, `${note}!`) + hubOperations().sendToUser(userId, event);
}

// an argument the template uses once is rewritten whatever it is
export function ping(hub: Hub): boolean {
  return hubOperations().isOnline(next());
}
