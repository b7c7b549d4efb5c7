export { LegacyProtocolImpl } from '../websocket_core/unified_manager.js';
export { WebSocketManagerMode } from 'ssot-migrate/canonical';
