export { WebSocketManagerMode, type WebSocketManagerProtocol, WebSocketManager } from 'ssot-migrate/canonical';
