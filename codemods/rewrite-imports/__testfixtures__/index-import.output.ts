import { WebSocketManager, WebSocketManagerMode } from 'ssot-migrate/canonical';

export const m = new WebSocketManager(WebSocketManagerMode.UNIFIED);
