import { WebSocketManager as WebSocketManager } from 'ssot-migrate/canonical';
import { NeverExisted } from '../websocket_core/unified_manager.js';
import { UnifiedWebSocketManager as UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

export const m = new UnifiedWebSocketManager();
export const w = new WebSocketManager();
