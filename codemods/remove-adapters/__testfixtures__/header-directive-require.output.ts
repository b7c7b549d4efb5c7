// CommonJS island: plain require() of the legacy module, the way old scripts loaded it.
/* eslint-disable @typescript-eslint/no-require-imports */
import { hubOperations } from 'ssot-migrate/canonical';

export function registered(userId: string): number {
  return hubOperations().connectionCount(userId);
}
