export { WebSocketManager as UnifiedWebSocketManager } from 'ssot-migrate/canonical';
export { LegacyProtocolImpl } from '../websocket_core/unified_manager.js';
