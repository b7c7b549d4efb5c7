/**
 * Health checks of the manager pool. This file comment is parted from the declaration below by
 * a blank line: it stays when the duplicate goes, and the new import goes below it.
 */

import { ManagerMode } from './canonical.js';

export { ManagerMode };

export const current = ManagerMode.UNIFIED;
