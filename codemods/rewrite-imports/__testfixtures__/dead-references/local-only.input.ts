import { getManager, Manager } from '../legacy/manager.js';
import * as legacy from '../legacy/manager.js';
import { keep } from './other.js';

export { getManager as legacyGetManager, legacy };
export const x = keep(Manager);
