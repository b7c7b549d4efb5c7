import { UnifiedWebSocketManager, NeverExisted, WebSocketManagerFactory as WebSocketManagerFactory } from '../websocket_core/unified_manager.js';
import { Ghost, Phantom } from '../websocket_core/websocket_manager.js';
import {
  WebSocketManagerMode as WebSocketManagerMode, // the mode
  StillUsedGhost,
} from '../websocket_core/websocket_manager.js';

export const m: UnifiedWebSocketManager = WebSocketManagerFactory.getInstance();
export const mode = WebSocketManagerMode.UNIFIED;
export const g = StillUsedGhost;
