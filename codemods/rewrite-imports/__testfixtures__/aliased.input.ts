import { UnifiedWebSocketManager as Mgr, WebSocketManagerMode as Mode } from '../websocket_core/unified_manager.js';

export const mode = Mode.UNIFIED;
export const make = (): Mgr => new Mgr();
