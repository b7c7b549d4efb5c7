const { WebSocketManager } = require('ssot-migrate/canonical');

/**
 * Prose naming UnifiedWebSocketManager and {@link UnifiedWebSocketManager} is text, not a type.
 * @param {string} label the UnifiedWebSocketManager's label
 * @param {Array<WebSocketManager | null>} all
 * @returns {typeof WebSocketManager}
 */
function kind(label, all) {
  void label;
  void all;
  return WebSocketManager;
}

module.exports = { kind };
