import { helper } from './helper.js';
import type { Options } from './options.js';

// @ts-ignore -- a directive above a line that stays, stays
export const m = helper({} as Options);
