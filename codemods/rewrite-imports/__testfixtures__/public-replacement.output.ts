/** A public module: what it exports instead of a legacy class is the manifest's decision. */
export { createWebSocketManager, WebSocketManagerMode, type WebSocketManagerProtocol } from 'ssot-migrate/canonical';
export const version = 1;
