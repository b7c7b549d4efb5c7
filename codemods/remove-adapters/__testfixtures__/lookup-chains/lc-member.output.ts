import { manager, Manager } from '../legacy/manager';
import { hubOperations } from 'ssot-migrate/canonical';

/** A class's lookup: chains on what its method returns, the plain template for the rest. */
export function tell(id: string, frame: object): void {
  const hub = hubOperations();
  (hub.hub.getConnection(id)?.socket == null ? undefined : hub.sendToUser(id, JSON.parse(JSON.stringify(frame))));
  hub.sendToUser(id, JSON.parse(JSON.stringify(frame)));
}

export function held(id: string): boolean {
  const socket = hubOperations().hub.getConnection(id)?.socket;
  return socket !== undefined;
}

export function viaLookup(id: string, data: string): void {
  hubOperations().sendToUser(id, JSON.parse(data));
  // TODO(ssot)[Manager.lookup]: Manager.lookup: its result used as `.close`, which no chain template covers (classes[].members has "lookup.send") and lookup has no plain template; add one (a chain for this use, or lookup itself, e.g. the socket the hub registered), or rewrite it by hand
  manager.lookup(id)?.close();
  // TODO(ssot)[Manager.lookup]: Manager.lookup(…).send is reached through `?.send`, which runs the rest (and its arguments) only when Manager.lookup(…) is there, and no template gives that value to test: add one for "lookup" (the chain's template is then guarded by it), or rewrite it by hand
  manager.lookup(id)?.send(data);
}

export function viaStatic(id: string, data: string): void {
  const hub = hubOperations();
  (hub.hub.getConnection(id)?.socket == null ? undefined : hub.sendToUser(id, JSON.parse(data)));
  hub.sendToUser(id, JSON.parse(data));
}

declare function current(): Manager;

/** A receiver that may act runs once, as the lookup's call did: ahead of the template, or (behind a `?.` test) marked. */
export function viaCall(id: string, data: string): void {
  (current(), hubOperations().sendToUser(id, JSON.parse(data)));
  // TODO(ssot)[Manager.getSocket]: the template of Manager.getSocket(…).send does not use the receiver, and `current()` may have side effects; the chain's `?.` test would run it only when a value is there: bind it to a const first
  current().getSocket(id)?.send(data);
}
