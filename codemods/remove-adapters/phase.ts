/** Phase 4 as a Phase (loaded on use: ts-morph). */
import type { Phase } from '../phase/types.js';

export const removeAdaptersPhase: Phase = {
  name: 'remove-adapters',
  description: 'adapters unwrapped, mapped legacy member calls rewritten, factory calls made per-context with the UserExecutionContext in scope (a marked TODO where none is)',
  options: [],
  manifestFields: [
    { field: 'canonical.contextType', onlyWith: 'factory' },
    { field: 'canonical.factory', onlyWith: 'factory' },
  ],
  plan: async (snapshot) => (await import('./index.js')).planRemoveAdapters(snapshot),
};
