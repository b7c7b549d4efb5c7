import { WebSocketManager } from '../websocket_core';
import { WebSocketManagerMode } from '../websocket_core/index.js';

export const m = new WebSocketManager(WebSocketManagerMode.UNIFIED);
