import { WebSocketManager } from 'ssot-migrate/canonical';

export const m = new WebSocketManager();
