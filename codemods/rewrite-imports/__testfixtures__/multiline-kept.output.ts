import {
  WebSocketManager,
  WebSocketManagerMode,
  createWebSocketManager as makeManager,
} from 'ssot-migrate/canonical';
import { join } from 'node:path';

export const parts = [WebSocketManager, WebSocketManagerMode.UNIFIED, makeManager, join];
