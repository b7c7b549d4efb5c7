import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

const registry = { UnifiedWebSocketManager };
export { UnifiedWebSocketManager, registry };
export { UnifiedWebSocketManager as Renamed };
