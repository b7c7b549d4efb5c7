export { WebSocketManager as UnifiedWebSocketManager, WebSocketManagerMode as Mode, type WebSocketManagerProtocol, type WebSocketManagerProtocol as ManagerProtocol } from 'ssot-migrate/canonical';
