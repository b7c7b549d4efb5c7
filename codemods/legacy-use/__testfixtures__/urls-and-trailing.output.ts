// Read first, so it stands alone and stays.
export function f(): number {
  return 1;
}

export function g(): number {
  return 2;
}

// First line of a paragraph that stays.

// A comment of its own after a blank line stays.
export const h = 3;

// A canonical name containing a legacy one stays: WebSocketManagerMode, myWebSocketManager, WebSocketManager_v2.
// A path that only looks alike stays: src/agents/registry.ts, manager.ts.bak, core_manager.
export const k = 4;
