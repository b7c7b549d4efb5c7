import type { SyntaxTransform } from '../engine/transform.js';

export const discoverTransform: SyntaxTransform = {
  name: 'discover',
  prefilter: () => false,
  transform: () => ({ edits: [], problems: [] }),
};
