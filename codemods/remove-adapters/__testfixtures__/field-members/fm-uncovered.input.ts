import { registry, type Peer } from '../legacy/registry';

/** The field is iterated, which no template covers: that use is marked and no other use of it is rewritten (one state, not two). */
export function admit(id: string, socket: Peer): void {
  registry.guests.set(id, socket);
}

export function greet(id: string): void {
  registry.guests.get(id)!.send(JSON.stringify({ type: 'hello' }));
}

export function everyone(): string[] {
  const out: string[] = [];
  for (const [id] of registry.guests) out.push(id);
  return out;
}
