export { LegacyProtocolImpl, WebSocketManagerMode } from '../websocket_core/unified_manager.js';
