import { UnifiedWebSocketManager, NoSuchThing } from '../websocket_core/unified_manager.js';

export const all = [UnifiedWebSocketManager, NoSuchThing];
