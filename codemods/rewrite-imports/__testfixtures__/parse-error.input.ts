import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js';

export const broken = new UnifiedWebSocketManager(;
