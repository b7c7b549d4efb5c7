export let manager: import('../websocket_core/unified_manager.js').UnifiedWebSocketManager | undefined;
export type Mode = import('../websocket_core/unified_manager.js').WebSocketManagerMode;
