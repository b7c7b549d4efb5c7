import { WebSocketManagerFactory } from '../websocket_core/unified_manager.js';
import { WebSocketManager } from 'ssot-migrate/canonical';

export const m: WebSocketManager = WebSocketManagerFactory.getInstance();
