const { UnifiedWebSocketManager } = require('../websocket_core/unified_manager.js');

/**
 * Prose naming UnifiedWebSocketManager and {@link UnifiedWebSocketManager} is text, not a type.
 * @param {string} label the UnifiedWebSocketManager's label
 * @param {Array<UnifiedWebSocketManager | null>} all
 * @returns {typeof UnifiedWebSocketManager}
 */
function kind(label, all) {
  void label;
  void all;
  return UnifiedWebSocketManager;
}

module.exports = { kind };
