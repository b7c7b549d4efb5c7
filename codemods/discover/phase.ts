/** Phase 0 as a Phase: the inventory from the snapshot's one scan, written to .ssot/ (plan.ts, loaded on use). */
import type { Phase } from '../phase/types.js';

export { INVENTORY_JSON, INVENTORY_MD } from './inventory.js';

export const discoverPhase: Phase = {
  name: 'discover',
  description: 'read-only inventory: manager declarations, every import form reaching a legacy or the canonical module, dangling imports, SSOT compliance %',
  options: [],
  plan: async (snapshot) => (await import('./plan.js')).planDiscover(snapshot),
};
