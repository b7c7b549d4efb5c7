import type { Hub } from '../legacy/hub.js';

export function leftovers(hub: Hub): number {
  hub.legacyOnly();
  hub.viaLegacy();
  return hub.unmapped();
}
