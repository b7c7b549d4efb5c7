import { WebSocketManagerFactory } from '../websocket_core/unified_manager.js';
import { WebSocketManager, WebSocketManagerMode } from 'ssot-migrate/canonical';
import {
  StillUsedGhost,
} from '../websocket_core/websocket_manager.js';

export const m: WebSocketManager = WebSocketManagerFactory.getInstance();
export const mode = WebSocketManagerMode.UNIFIED;
export const g = StillUsedGhost;
