import { WebSocketManager } from 'ssot-migrate/canonical';

export const same = WebSocketManager === WebSocketManager;
