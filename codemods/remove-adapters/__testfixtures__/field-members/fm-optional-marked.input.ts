import { registry, type Peer } from '../legacy/registry';

declare function next(): string;

/** Two `?.` crossed by one template, which can test only one: marked, the field held. */
export function deskNudge(id: string, frame: object): void {
  registry.desks?.get(id)?.send(JSON.stringify(frame));
}

/**
 * A looked-up id with side effects, read by the test (`"stalls.get"`) and by the chain's template:
 * it would run twice, so the use is marked and the field held (`stalls.set` stays as written too).
 */
export function stall(socket: Peer): void {
  registry.stalls.set('s', socket);
}

export function stallNudge(frame: object): void {
  registry.stalls.get(next())?.send(JSON.stringify(frame));
}
