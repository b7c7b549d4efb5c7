import { UnifiedWebSocketManager } from './unified_manager.js';

export const m = new UnifiedWebSocketManager();
