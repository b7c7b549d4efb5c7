import type { WebSocketManager, RelayHub } from 'canon';

export function others(): boolean {
  // nothing is known to store a legacy instance there: an ordinary cast
  const other = (global as any).somethingElse as WebSocketManager;
  // the relay's construction becomes canonical in this phase: the cast follows it
  const relay = (globalThis as any).relay as RelayHub;
  return Boolean(other) && Boolean(relay);
}
