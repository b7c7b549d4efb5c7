import type { UnifiedWebSocketManager } from '../legacy/unified.js';

// a union with undefined / null claims the legacy class all the same: the cast keeps its type
export function maybeReady(): boolean {
  const manager = (global as any).wsManager as UnifiedWebSocketManager | undefined;
  const orNull = <null | UnifiedWebSocketManager>(globalThis as any).wsManager;
  return manager !== undefined && orNull !== null;
}
