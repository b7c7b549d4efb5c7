import { Manager as Handler } from '../legacy/manager.js';
import { getManager } from '../legacy/manager.js';
import type { Other } from './other.js';

export { Handler, Handler as RecoveryManager };
export { getManager };

export function make(o: Other): Handler | undefined {
  return o.ok ? getManager() : undefined;
}
