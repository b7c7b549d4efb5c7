import { type Peer } from '../legacy/registry';
import { hubOperations } from 'ssot-migrate/canonical';

/** A member of the field with its own template takes it; any other use takes the field's template as a whole. */
export function open(id: string, socket: Peer): void {
  hubOperations().connect(id, socket, { connectionId: id });
}

export function names(): string[] {
  return [...({ set: (id: string, socket: Peer) => hubOperations().connect(id, socket, { connectionId: id }), keys: () => hubOperations().listConnectedUsers().values() }).keys()];
}
