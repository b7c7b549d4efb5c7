import type { UnifiedWebSocketManager } from '../legacy/unified.js';
import type { RelayManager } from '../legacy/relay.js';

export function others(): boolean {
  // nothing is known to store a legacy instance there: an ordinary cast
  const other = (global as any).somethingElse as UnifiedWebSocketManager;
  // the relay's construction becomes canonical in this phase: the cast follows it
  const relay = (globalThis as any).relay as RelayManager;
  return Boolean(other) && Boolean(relay);
}
