export { createWebSocketManager } from 'ssot-migrate/canonical';
export { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';
