import { createWebSocketManager } from 'ssot-migrate/canonical';
import { UnifiedWebSocketManager, getWebSocketManager } from '../websocket_core/unified_manager.js';
import { WebSocketManagerProtocol } from '../websocket_core/protocols.js';

export const a = createWebSocketManager;
export const b: WebSocketManagerProtocol = new UnifiedWebSocketManager();
export const c = getWebSocketManager();
