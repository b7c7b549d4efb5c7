import {
  WebSocketManager as Manager,
  WebSocketManager as Legacy, // both names of one class
  WebSocketManagerMode,
} from 'ssot-migrate/canonical';

export const all = [new Manager(), Legacy, WebSocketManagerMode.UNIFIED];
