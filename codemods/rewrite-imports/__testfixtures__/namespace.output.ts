import * as wsm from 'ssot-migrate/canonical';

export const m: wsm.WebSocketManager = new wsm.WebSocketManager();
export const mode = wsm.WebSocketManagerMode.UNIFIED;
export const get = () => wsm.createWebSocketManager();
