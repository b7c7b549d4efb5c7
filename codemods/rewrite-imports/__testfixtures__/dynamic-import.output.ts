export async function load() {
  const { WebSocketManager } = await import('ssot-migrate/canonical');
  const get = (await import('ssot-migrate/canonical')).createWebSocketManager;
  const mod = await import('ssot-migrate/canonical');
  const later = import('ssot-migrate/canonical').then(({ WebSocketManagerMode }) => WebSocketManagerMode.UNIFIED);
  return [new WebSocketManager(), get(), new mod.WebSocketManager(), later];
}
