/** Static imports of the legacy module left behind once their uses moved (a shadowed one too). */
import { getManager, MAX_CONNECTIONS } from '../legacy/manager.js';
import type { ManagerStats } from '../legacy/manager.js';
import * as legacyNs from '../legacy/manager.js';
import { Manager } from '../legacy/manager.js';
import { Manager as Kept } from '../legacy/manager.js';
import '../legacy/manager.js';
import { keep } from './other.js';
import { a } from './other.js';

export function plugin(options: { getManager: () => unknown }) {
  // getManager() below is the option's, not the import's
  const { getManager } = options;
  return keep(MAX_CONNECTIONS);
}

export function shadowed(opts: { Manager: string }) {
  const { Manager } = opts;
  return Manager.length + String(new Kept()).length;
}
