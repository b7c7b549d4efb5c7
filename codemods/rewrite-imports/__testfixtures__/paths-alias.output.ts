import { WebSocketManager, WebSocketManagerProtocol } from 'ssot-migrate/canonical';

export const m: WebSocketManagerProtocol = new WebSocketManager();
