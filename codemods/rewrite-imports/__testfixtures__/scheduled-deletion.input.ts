import { WebSocketManagerMode } from '../websocket_core/unified_manager.js';

export const mode = WebSocketManagerMode.UNIFIED;

/** Scheduled in deletions: left for remove-shim, neither rewritten nor reported. */
export async function loadOld() {
  const m = await import('../websocket_core/unified_manager.js');
  return m;
}
