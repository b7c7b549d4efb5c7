/** @typedef {import('ssot-migrate/canonical').WebSocketManager} Legacy */
const { WebSocketManager } = require('ssot-migrate/canonical');

/**
 * @param {WebSocketManager} m
 * @returns {Legacy}
 */
function keep(m) {
  /** @type {WebSocketManager} */
  const same = /** @type {WebSocketManager} */ (m);
  return same;
}

module.exports = { keep, make: () => new WebSocketManager() };
