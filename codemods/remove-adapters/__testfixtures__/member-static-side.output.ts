import { Registry } from '../legacy/manager.js';
import { hubOperations } from 'ssot-migrate/canonical';

// a static of a described class is not a member of its instances: no template applies to it
export function fresh(): Registry {
  return Registry.create();
}

export function freshCount(userId: string): number {
  return hubOperations().connectionCount(userId);
}
