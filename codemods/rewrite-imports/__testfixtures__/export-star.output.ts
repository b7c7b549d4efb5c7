// barrel kept for old callers
export * from 'ssot-migrate/canonical';
export { WebSocketManager as UnifiedWebSocketManager, createWebSocketManager as getWebSocketManager } from 'ssot-migrate/canonical';
export { WebSocketManagerFactory, LegacyProtocolImpl } from '../websocket_core/unified_manager.js';
export const version = 1;
