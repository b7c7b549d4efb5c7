'use strict';
// Members destructured from one export of a load (`require(L).named`, an instances[] singleton).
const { hubOperations } = require('ssot-migrate/canonical');

function canDeliver(userId) {
  return hubOperations().isOnline(String(userId));
}

module.exports = { canDeliver };
