/** @typedef {import('../websocket_core/unified_manager.js').UnifiedWebSocketManager} Legacy */
const { WebSocketManager } = require('ssot-migrate/canonical');

/**
 * @param {UnifiedWebSocketManager} m
 * @returns {Legacy}
 */
function keep(m) {
  /** @type {UnifiedWebSocketManager} */
  const same = /** @type {UnifiedWebSocketManager} */ (m);
  return same;
}

module.exports = { keep, make: () => new WebSocketManager() };
