import { helper } from './helper.js';
// @ts-expect-error -- NeverExisted was folded into the manager in 0.4; nothing here uses it
import { NeverExisted } from '../websocket_core/unified_manager.js';
import type { Options } from './options.js';

// @ts-ignore -- a directive above a line that stays, stays
export const m = helper({} as Options);
