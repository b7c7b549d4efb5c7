import { registry, type Peer } from '../legacy/registry';

/** A member of the field with its own template takes it; any other use takes the field's template as a whole. */
export function open(id: string, socket: Peer): void {
  registry.rooms.set(id, socket);
}

export function names(): string[] {
  return [...registry.rooms.keys()];
}
