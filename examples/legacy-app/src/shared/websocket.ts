/** A re-export hub outside websocket_core: `export { X } from`, renamed re-exports, `export * from`. */
export { WebSocketManager, getWebSocketManager } from '../websocket_core/websocket_manager.js';
export { WebSocketManagerMode as ManagerMode } from '../websocket_core/websocket_manager.js';
export type { WebSocketManagerProtocol as WebSocketManagerInterface } from '../websocket_core/protocols.js';
