// Read first, so it stands alone and stays. Background: https://example.com/docs/WebSocketManagerAdapter.html explains it. What follows leans on it and goes.
export function f(): number {
  return 1; // delegates to WebSocketManagerAdapter
}

export function g(): number {
  /* inline: websocket_core/unified_manager */ return 2;
}

// First line of a paragraph that stays.
// Then a line naming unified_manager, a module.
// The line after leans on it, and goes too.

// A comment of its own after a blank line stays.
export const h = 3;

// A canonical name containing a legacy one stays: WebSocketManagerMode, myWebSocketManager, WebSocketManager_v2.
// A path that only looks alike stays: src/agents/registry.ts, manager.ts.bak, core_manager.
export const k = 4;
