import { WebSocketManager, WebSocketManager as UnifiedWebSocketManager } from 'ssot-migrate/canonical';

export const m = new UnifiedWebSocketManager();
export const w = new WebSocketManager();
