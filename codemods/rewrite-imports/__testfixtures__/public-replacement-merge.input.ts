export { WebSocketManagerMode } from 'ssot-migrate/canonical';
export { LegacyProtocolImpl, UnifiedWebSocketManager, getLegacyStats } from '../websocket_core/unified_manager.js';
