import wsm = require('ssot-migrate/canonical');

export const m = new wsm.WebSocketManager();
export const mode = wsm.WebSocketManagerMode.UNIFIED;
