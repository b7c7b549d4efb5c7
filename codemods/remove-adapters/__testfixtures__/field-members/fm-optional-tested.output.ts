import { type Peer } from '../legacy/registry';
import { hubOperations } from 'ssot-migrate/canonical';

/**
 * `"seats.get"` templates the value a `?.` tests: the chain stops there and `?.send(…)` stays on
 * it. `!`, parentheses, casts and a `?.` on a value that is never nullish (the field, always a
 * Map; `send`, always present) test nothing and are looked through: the whole chain's template.
 */
export function seat(id: string, socket: Peer): void {
  hubOperations().connect(id, socket, { connectionId: id });
}

export function maybe(id: string, frame: object): void {
  const hub = hubOperations();
  ((hub.isOnline(id) ? { send: (data: string) => void hubOperations().sendToUser(id, JSON.parse(data)) } : undefined) == null ? undefined : hub.sendToUser(id, JSON.parse(JSON.stringify(frame))));
}

export function surely(id: string, frame: object): void {
  const hub = hubOperations();
  hub.sendToUser(id, JSON.parse(JSON.stringify(frame)));
  hub.sendToUser(id, JSON.parse(JSON.stringify(frame)));
  hub.sendToUser(id, JSON.parse(JSON.stringify(frame)));
  hub.sendToUser(id, JSON.parse(JSON.stringify(frame)));
  hub.sendToUser(id, JSON.parse(JSON.stringify(frame)));
  hub.sendToUser(id, JSON.parse(JSON.stringify(frame)));
}
