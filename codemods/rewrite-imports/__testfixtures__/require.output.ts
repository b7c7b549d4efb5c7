const { WebSocketManager: UnifiedWebSocketManager, createWebSocketManager: get } = require('ssot-migrate/canonical');
const mode = require('ssot-migrate/canonical').WebSocketManagerMode;

module.exports = { m: new UnifiedWebSocketManager(), g: get(), mode };
