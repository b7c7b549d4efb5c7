/**
 * Health checks of the manager pool. This file comment is parted from the declaration below by
 * a blank line: it stays when the duplicate goes, and the new import goes below it.
 */

/** Duplicate of the canonical enum: its own doc goes with it. */
export enum ManagerMode {
  UNIFIED = 'unified',
  ISOLATED = 'isolated',
}

export const current = ManagerMode.UNIFIED;
