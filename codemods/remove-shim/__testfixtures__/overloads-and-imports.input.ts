import LegacyDefault, { keep, onlyThere, type OnlyType } from '../legacy/manager.js';
import * as legacyNs from '../legacy/ns.js';
import { alsoKept } from './kept.js';

export const first = keep();

/** Hands out the legacy manager, by name or not. */
export function legacyHandle(name: string): OnlyType;
export function legacyHandle(): OnlyType;
// the implementation
export function legacyHandle(name?: string): OnlyType {
  return name ? onlyThere(name) : legacyNs.make(LegacyDefault);
}

export const second = alsoKept(keep);
