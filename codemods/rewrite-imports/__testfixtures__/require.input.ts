const { UnifiedWebSocketManager, getWebSocketManager: get } = require('../websocket_core/unified_manager');
const mode = require('../websocket_core/unified_manager').WebSocketManagerMode;

module.exports = { m: new UnifiedWebSocketManager(), g: get(), mode };
