import { WebSocketManager as Manager, WebSocketManagerMode } from 'ssot-migrate/canonical';

export const m = new Manager();
export const mode = WebSocketManagerMode.UNIFIED;
