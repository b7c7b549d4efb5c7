import {
  aLongishHelperName,
  anotherLongishHelperName,
  yetAnotherHelperName,
} from '../lib/helpers.js';
import { WebSocketManagerMode, getWebSocketManager } from '@ws/unified_manager';

export const all = [aLongishHelperName, anotherLongishHelperName, yetAnotherHelperName, WebSocketManagerMode, getWebSocketManager];
