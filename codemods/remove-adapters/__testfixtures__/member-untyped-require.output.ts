// require() is untyped: the legacy module's own declarations say what each member chain is
import { hubOperations } from 'ssot-migrate/canonical';

export function registered(userId: string): number {
  return hubOperations().connectionCount(userId);
}

export function registeredToo(userId: string): number {
  return hubOperations().connectionCount(userId);
}
