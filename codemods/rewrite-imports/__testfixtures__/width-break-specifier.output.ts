import {
  aLongishHelperName,
  anotherLongishHelperName,
  yetAnotherHelperName,
} from '../lib/helpers.js';
import {
  WebSocketManager as Mgr,
  WebSocketManagerMode,
  WebSocketManager as DefaultWebSocketManagerInstance,
} from 'ssot-migrate/canonical';

export const all = [aLongishHelperName, anotherLongishHelperName, yetAnotherHelperName];
export const m = [new Mgr(), WebSocketManagerMode, DefaultWebSocketManagerInstance];
