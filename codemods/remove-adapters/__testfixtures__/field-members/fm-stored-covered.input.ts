import { registry, type Registry } from '../legacy/registry';

// A field's lookup stored in a local, as a lookup function's is (`const ws = getConnection(id)`):
// `seats` has "seats.get.send" (the sends) and "seats.get" (the value a test reads), so each use
// takes its template and the local goes.
export function greet(id: string, frame: object): void {
  const ws = registry.seats.get(id);
  if (ws) ws.send(JSON.stringify(frame));
}

export class Room {
  constructor(private readonly registry: Registry) {}

  tell(id: string, data: string): void {
    const ws = this.registry.seats.get(id);
    ws?.send(data);
  }
}

// `stalls` is held (fm-optional-marked marks one of its uses): its stored lookup stays as written with the field.
export function held(id: string, data: string): void {
  const s = registry.stalls.get(id);
  if (s) s.send(data);
}

// Passed on as well as sent to: the local stays (the plain template), its send marked with why.
export function passed(id: string, data: string, keep: (p: unknown) => void): void {
  const ws = registry.seats.get(id);
  keep(ws);
  ws?.send(data);
}
