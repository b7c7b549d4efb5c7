export { createWebSocketManager, WebSocketManager as UnifiedWebSocketManager } from 'ssot-migrate/canonical';
