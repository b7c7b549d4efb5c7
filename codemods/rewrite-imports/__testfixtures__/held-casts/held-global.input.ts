import { UnifiedWebSocketManager, type WebSocketManagerMode } from '../legacy/unified.js';
import { log } from '../ws.js';

export function ready(mode: WebSocketManagerMode): boolean {
  // the only reader checks truthiness: a cast retyped to canonical would still type-check
  const manager = (global as any).wsManager as UnifiedWebSocketManager;
  if (manager) log(`ready in ${mode}`);
  const same = (globalThis as any).wsManager as UnifiedWebSocketManager;
  return Boolean(manager) && same !== undefined;
}
