/**
 * What a canonical registration sees while canonical does not serve (dual.ts's muted call): the
 * same binding, except that the operations delivering a message send nothing. The legacy side
 * serves and has written its own frames, so whatever the template sends would be a second copy;
 * dropping it where it is made (not at the socket) keeps it out of the bus too: with the Redis bus
 * a send is published and delivered later from the subscription, after any gate at the socket has
 * closed, to this process's sockets and to the user's sockets on other processes, and a send after
 * an `await` is still made through the same binding. Connecting, disconnecting and every lookup
 * run as they are. The names are canonical's own API (checked against HubOperations), never a
 * legacy API's.
 */
import type { HubOperations } from '../../canonical/core.js';

/** HubOperations' message deliveries, each replaced by what it returns when nobody got the message. */
const DELIVERIES: { [K in 'sendToUser' | 'broadcastAll' | 'emitTo']: HubOperations[K] } = {
  sendToUser: () => 0,
  broadcastAll: () => 0,
  emitTo: () => Promise.resolve(),
};
const delivers = (k: PropertyKey): k is keyof typeof DELIVERIES => typeof k === 'string' && Object.hasOwn(DELIVERIES, k);

/** `ops` with its message deliveries sending nothing. */
export function mutedHubOperations(ops: HubOperations): HubOperations {
  return new Proxy(ops, { get: (target, k) => (delivers(k) ? DELIVERIES[k] : Reflect.get(target, k, target)) });
}

/** A binding whose `hub` is muted and whose `emit` sends nothing; everything else (its state too) is the binding's own. */
export function mutedBinding<B extends { hub: HubOperations; emit(...a: never[]): Promise<void> }>(binding: B): B {
  const hub = mutedHubOperations(binding.hub);
  const emit = (): Promise<void> => Promise.resolve();
  return new Proxy(binding, { get: (target, k, receiver) => (k === 'hub' ? hub : k === 'emit' ? emit : Reflect.get(target, k, receiver)) });
}
