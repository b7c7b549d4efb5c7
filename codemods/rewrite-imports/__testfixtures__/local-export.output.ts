import { WebSocketManager } from 'ssot-migrate/canonical';

const registry = { UnifiedWebSocketManager: WebSocketManager };
export { WebSocketManager as UnifiedWebSocketManager, registry };
export { WebSocketManager as Renamed };
