// ssot-migrate: strangler facade (WSM005).
// A module strangled by an earlier run: left exactly as it is.
import * as frozen from './already-facade.legacy.js';
export const Manager = frozen.Manager;
