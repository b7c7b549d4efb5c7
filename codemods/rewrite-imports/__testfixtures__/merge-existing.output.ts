import { createWebSocketManager, WebSocketManager, WebSocketManagerProtocol } from 'ssot-migrate/canonical';

export const a = createWebSocketManager;
export const b: WebSocketManagerProtocol = new WebSocketManager();
export const c = createWebSocketManager();
