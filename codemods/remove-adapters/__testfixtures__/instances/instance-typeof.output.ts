import { sessionHub } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

// a type written as the instance's: left to a person (the replacement has another type)
// TODO(ssot)[sessionHub]: typeof sessionHub is the type of the legacy instance instances[0] replaces; write the type of its replacement by hand
export type HubLike = typeof sessionHub;
export const first = (): number => hubOperations().connectionCount();
