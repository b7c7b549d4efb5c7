import { hubOperations } from 'ssot-migrate/canonical';
/** Documents the function right below it, not the file: the import goes above it. */
export function registered(userId: string): number {
  return hubOperations().connectionCount(userId);
}
