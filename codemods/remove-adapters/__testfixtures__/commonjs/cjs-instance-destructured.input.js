'use strict';
// Members destructured from a singleton `module.exports = new Single()` (instances[] "default").
const { isOnline } = require('../legacy/single');

function canDeliver(userId) {
  return isOnline(userId);
}

module.exports = { canDeliver };
