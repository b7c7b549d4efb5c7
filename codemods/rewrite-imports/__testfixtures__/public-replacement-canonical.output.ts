export { WebSocketManager, type WebSocketManagerProtocol } from 'ssot-migrate/canonical';
