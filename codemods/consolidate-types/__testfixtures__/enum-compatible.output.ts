import { join } from './util.js';
import { ManagerMode } from './canonical.js';

export { ManagerMode };

export const current = ManagerMode.UNIFIED;
export const path = join('a');
