// Background: https://example.com/docs/WebSocketManagerAdapter.html explains it. The rest stays.
export function f(): number {
  return 1; // delegates to WebSocketManagerAdapter
}

export function g(): number {
  /* inline: websocket_core/unified_manager */ return 2;
}

// First line of a paragraph that stays.
// Then a line naming unified_manager, a module.
// Last line stays too.
export const h = 3;

// A canonical name containing a legacy one stays: WebSocketManagerMode, myWebSocketManager, WebSocketManager_v2.
// A path that only looks alike stays: src/agents/registry.ts, manager.ts.bak, core_manager.
export const k = 4;
