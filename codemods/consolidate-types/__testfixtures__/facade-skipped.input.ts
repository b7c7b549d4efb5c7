// ssot-migrate: strangler facade (fixture): a shim value paired with a type of the same name.
// consolidate-types leaves it alone (remove-shim deletes it); rewriting the type would collide with the value.
import { ManagerMode as FrozenManagerMode } from './canonical.js';

export const ManagerMode = FrozenManagerMode;
export type ManagerMode = FrozenManagerMode;
