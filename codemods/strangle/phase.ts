/** Phase 1 as a Phase: legacy modules behind shim facades, bodies frozen (loaded on use: ts-morph). */
import type { Phase } from '../phase/types.js';

export const stranglePhase: Phase = {
  name: 'strangle',
  description: 'each legacy module keeps its path but becomes a facade over the shim; its body is frozen in a sibling *.legacy.ts as the rollback target',
  options: [],
  manifestFields: [{ field: 'canonical.contextType' }, { field: 'canonical.factory' }],
  plan: async (snapshot) => (await import('./index.js')).planStrangle(snapshot),
};
