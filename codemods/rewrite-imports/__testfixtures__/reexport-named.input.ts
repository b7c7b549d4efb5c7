export { UnifiedWebSocketManager, WebSocketManagerMode as Mode } from '../websocket_core/unified_manager.js';
export type { WebSocketManagerProtocol } from '../websocket_core/protocols.js';
export { type ManagerProtocol } from '../websocket_core/protocols.js';
