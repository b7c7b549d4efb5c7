import { UnifiedWebSocketManager as UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

export const m: UnifiedWebSocketManager = new UnifiedWebSocketManager(;
