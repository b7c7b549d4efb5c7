export async function load() {
  const { UnifiedWebSocketManager } = await import('../websocket_core/unified_manager.js');
  const get = (await import('../websocket_core/unified_manager.js')).getWebSocketManager;
  const mod = await import('../websocket_core/unified_manager.js');
  const later = import('../websocket_core/unified_manager.js').then(({ WebSocketManagerMode }) => WebSocketManagerMode.UNIFIED);
  return [new UnifiedWebSocketManager(), get(), new mod.UnifiedWebSocketManager(), later];
}
