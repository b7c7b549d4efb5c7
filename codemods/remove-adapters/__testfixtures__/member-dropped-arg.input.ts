import type { Hub, HubEvent } from '../legacy/hub.js';

declare function audit(event: HubEvent): string;
declare function next(): string;

// an argument the template does not use still runs when it may have side effects (before the template,
// in a comma expression); a pure one goes (a string template of strings is pure)
export function send(hub: Hub, userId: string, event: HubEvent, note: string): number {
  hub.publishNoted(userId, event, audit(event));
  hub.publishNoted(userId, event, note);
  return hub.publishNoted(userId, event, `${note}!`) + hub.publishNoted(userId, event, 'plain');
}

// an argument the template uses once is rewritten whatever it is
export function ping(hub: Hub): boolean {
  return hub.isOnline(next());
}
