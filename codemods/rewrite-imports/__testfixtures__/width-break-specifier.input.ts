import {
  aLongishHelperName,
  anotherLongishHelperName,
  yetAnotherHelperName,
} from '../lib/helpers.js';
import Mgr, { WebSocketManagerMode } from '../websocket_core/manager.js';
import { UnifiedWebSocketManager as DefaultWebSocketManagerInstance } from '@ws/unified_manager';

export const all = [aLongishHelperName, anotherLongishHelperName, yetAnotherHelperName];
export const m = [new Mgr(), WebSocketManagerMode, DefaultWebSocketManagerInstance];
