import {
  aLongishHelperName,
  anotherLongishHelperName,
  yetAnotherHelperName,
} from '../lib/helpers.js';
import {
  WebSocketManagerMode,
  createWebSocketManager,
} from 'ssot-migrate/canonical';

export const all = [aLongishHelperName, anotherLongishHelperName, yetAnotherHelperName, WebSocketManagerMode, createWebSocketManager];
