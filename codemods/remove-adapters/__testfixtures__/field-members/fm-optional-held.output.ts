import { registry, type Peer } from '../legacy/registry';

/**
 * `?.` in a chain may skip the call after it, and its arguments: `"links.get.send"` stands for the
 * whole chain, so it cannot say "only when there is a socket". With no template for `links.get`
 * (the value tested) the use is marked and the field held: `links.set` stays as written too.
 */
export function enter(id: string, socket: Peer): void {
  registry.links.set(id, socket);
}

export function nudge(id: string, frame: object): void {
  // TODO(ssot)[Registry.links]: Registry.links.get.send is reached through `?.send`, which runs the rest (and its arguments) only when Registry.links.get(…) is there, and no template gives that value to test: add one for "links.get" (the chain's template is then guarded by it), or rewrite it by hand — until then no use of links is rewritten (one state, not two)
  registry.links.get(id)?.send(JSON.stringify(frame));
}

/** An optional field tested by `?.`: nothing templates the field itself, so the use is marked. */
export function spareNudge(id: string): void {
  // TODO(ssot)[Registry.spare]: Registry.spare.get.send is reached through `?.get`, which runs the rest (and its arguments) only when Registry.spare is there, and no template gives that value to test: add one for spare as a whole (the chain's template is then guarded by it), or rewrite it by hand — until then no use of spare is rewritten (one state, not two)
  registry.spare?.get(id)!.send('{"type":"nudge"}');
}
