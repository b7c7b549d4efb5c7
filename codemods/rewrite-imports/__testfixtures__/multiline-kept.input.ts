import {
  UnifiedWebSocketManager,
  WebSocketManagerMode,
  getWebSocketManager as makeManager,
} from '../websocket_core/unified_manager.js';
import { join } from 'node:path';

export const parts = [UnifiedWebSocketManager, WebSocketManagerMode.UNIFIED, makeManager, join];
