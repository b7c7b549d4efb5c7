import { registry, type Registry } from '../legacy/registry';
import { hubOperations } from 'ssot-migrate/canonical';

// A field's lookup stored in a local, as a lookup function's is (`const ws = getConnection(id)`):
// `seats` has "seats.get.send" (the sends) and "seats.get" (the value a test reads), so each use
// takes its template and the local goes.
export function greet(id: string, frame: object): void {
  if ((hubOperations().isOnline(id) ? { send: (data: string) => void hubOperations().sendToUser(id, JSON.parse(data)) } : undefined)) hubOperations().sendToUser(id, JSON.parse(JSON.stringify(frame)));
}

export class Room {
  constructor(private readonly registry: Registry) {}

  tell(id: string, data: string): void {
    const hub = hubOperations();
    ((hub.isOnline(id) ? { send: (data: string) => void hubOperations().sendToUser(id, JSON.parse(data)) } : undefined) == null ? undefined : hub.sendToUser(id, JSON.parse(data)));
  }
}

// `stalls` is held (fm-optional-marked marks one of its uses): its stored lookup stays as written with the field.
export function held(id: string, data: string): void {
  const s = registry.stalls.get(id);
  if (s) s.send(data);
}

// Passed on as well as sent to: the local stays (the plain template), its send marked with why.
export function passed(id: string, data: string, keep: (p: unknown) => void): void {
  const ws = (hubOperations().isOnline(id) ? { send: (data: string) => void hubOperations().sendToUser(id, JSON.parse(data)) } : undefined);
  keep(ws);
  // TODO(ssot)[Registry.seats]: `ws.send` goes to the socket Registry.seats.get(…) returned, stored in `ws`, not through the hub as "seats.get.send" would: `ws` is passed to a function (`keep(ws);`); call the lookup in the chain (`registry.seats.get(…).send`) or rewrite it by hand
  ws?.send(data);
}
