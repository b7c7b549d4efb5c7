import { join } from './util.js';

/** Duplicate of the canonical enum (same values). */
export enum ManagerMode {
  UNIFIED = 'unified',
  ISOLATED = 'isolated',
}

export const current = ManagerMode.UNIFIED;
export const path = join('a');
