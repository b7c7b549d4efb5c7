'use strict';
// Members destructured from a singleton `module.exports = new Single()` (instances[] "default").
const { hubOperations } = require('ssot-migrate/canonical');

function canDeliver(userId) {
  return hubOperations().isOnline(String(userId));
}

module.exports = { canDeliver };
