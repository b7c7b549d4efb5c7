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
  registry.links.get(id)?.send(JSON.stringify(frame));
}

/** An optional field tested by `?.`: nothing templates the field itself, so the use is marked. */
export function spareNudge(id: string): void {
  registry.spare?.get(id)!.send('{"type":"nudge"}');
}
