import { WebSocketManager } from 'ssot-migrate/canonical';

export const m = new WebSocketManager();
export const w = new WebSocketManager();
