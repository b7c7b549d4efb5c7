import { WebSocketManager as UnifiedWebSocketManager } from 'ssot-migrate/canonical';

// a local binding that already uses the canonical name
const WebSocketManager = 'local';

export const both = [WebSocketManager, new UnifiedWebSocketManager()];
