import { hubOperations } from 'ssot-migrate/canonical';
// require() is untyped: the legacy module's own declarations say what each member chain is

export function registered(userId: string): number {
  return hubOperations().connectionCount(userId);
}

export function registeredToo(userId: string): number {
  return hubOperations().connectionCount(userId);
}
