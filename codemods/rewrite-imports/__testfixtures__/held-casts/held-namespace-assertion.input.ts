import * as unified from '../legacy/unified.js';

export function inlineReady(): boolean {
  const m = <unified.UnifiedWebSocketManager>(globalThis as any)['inlineManager'];
  return m !== undefined;
}
