const { WebSocketManager, createWebSocketManager: get } = require('ssot-migrate/canonical');
const mode = require('ssot-migrate/canonical').WebSocketManagerMode;

module.exports = { m: new WebSocketManager(), g: get(), mode };
