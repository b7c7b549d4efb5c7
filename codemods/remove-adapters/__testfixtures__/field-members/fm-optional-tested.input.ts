import { registry, type Peer } from '../legacy/registry';

/**
 * `"seats.get"` templates the value a `?.` tests: the chain stops there and `?.send(…)` stays on
 * it. `!`, parentheses, casts and a `?.` on a value that is never nullish (the field, always a
 * Map; `send`, always present) test nothing and are looked through: the whole chain's template.
 */
export function seat(id: string, socket: Peer): void {
  registry.seats.set(id, socket);
}

export function maybe(id: string, frame: object): void {
  registry.seats.get(id)?.send(JSON.stringify(frame));
}

export function surely(id: string, frame: object): void {
  registry.seats.get(id)!.send(JSON.stringify(frame));
  registry.seats?.get(id)!.send(JSON.stringify(frame));
  (registry.seats.get(id) as Peer).send(JSON.stringify(frame));
  (<Peer>registry.seats.get(id)).send(JSON.stringify(frame));
  ((registry.seats).get(id) satisfies Peer | undefined)!.send(JSON.stringify(frame));
  registry.seats.get(id)!.send?.(JSON.stringify(frame));
}
