import { hubOperations } from 'ssot-migrate/canonical';

// reached through an alias, a re-export and a namespace import
export function both(): number {
  hubOperations().broadcastAll({ type: 'aliased' });
  return hubOperations().connectionCount() + [hubOperations(), hubOperations()].length;
}
