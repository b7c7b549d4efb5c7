import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

// the binding and an import type naming the same export: two edits, one per place
export const make = (): UnifiedWebSocketManager => new UnifiedWebSocketManager();
export let held: import('../websocket_core/unified_manager.js').UnifiedWebSocketManager | undefined;
