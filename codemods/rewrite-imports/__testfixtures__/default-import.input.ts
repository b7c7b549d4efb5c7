import Manager, { WebSocketManagerMode } from '../websocket_core/manager.js';

export const m = new Manager();
export const mode = WebSocketManagerMode.UNIFIED;
