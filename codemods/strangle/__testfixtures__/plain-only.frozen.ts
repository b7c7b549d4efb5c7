/** A legacy module none of whose exports the manifest maps: its facade only re-exports (no unused namespace import). */
export const LEGACY_FLAG = true;

export interface LegacyOptions {
  verbose: boolean;
}

console.log('plain-only loaded');
