import { hubOperations } from 'ssot-migrate/canonical';

// reached through an alias, a re-export and a namespace import
export function both(): number {
  const hub = hubOperations();
  hub.broadcastAll({ type: 'aliased' });
  return hub.connectionCount() + [hubOperations(), hubOperations()].length;
}
