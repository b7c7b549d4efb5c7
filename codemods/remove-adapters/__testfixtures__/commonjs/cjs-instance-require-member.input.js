'use strict';
// Members destructured from one export of a load (`require(L).named`, an instances[] singleton).
const { isOnline } = require('../legacy/named').named;

function canDeliver(userId) {
  return isOnline(userId);
}

module.exports = { canDeliver };
