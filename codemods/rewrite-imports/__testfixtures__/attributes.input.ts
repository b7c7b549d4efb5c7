import { UnifiedWebSocketManager } from '../websocket_core/unified_manager.js' with { type: 'module-hint' };
export { WebSocketManagerMode } from '../websocket_core/unified_manager.js' with { type: 'module-hint' };

export const m = new UnifiedWebSocketManager();
