// the canonical name is taken in the file: the legacy alias stays and is reported
import { WebSocketManager as UnifiedWebSocketManager } from 'ssot-migrate/canonical';

class WebSocketManager {}

export const legacy = new UnifiedWebSocketManager();
export const local = new WebSocketManager();
