import { hubOperations } from 'ssot-migrate/canonical';

export function countVia(): number {
  return hubOperations().connectionCount();
}

export function countTwice(extra = 0): number {
  const hub = hubOperations();
  return hub.connectionCount() + hub.connectionCount() + extra;
}
