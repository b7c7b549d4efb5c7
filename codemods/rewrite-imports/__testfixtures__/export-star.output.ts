// barrel kept for old callers
export * from 'ssot-migrate/canonical';
export { WebSocketManager as UnifiedWebSocketManager, createWebSocketManager as getWebSocketManager, createWebSocketManager as WebSocketManagerFactory, type WebSocketManagerProtocol as LegacyProtocolImpl } from 'ssot-migrate/canonical';
export const version = 1;
