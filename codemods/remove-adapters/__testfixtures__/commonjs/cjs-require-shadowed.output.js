'use strict';
// `require` here is a parameter (a plugin loader), not Node's: what it returns is not the legacy module.
function plugin(require) {
  const wsManager = require('../legacy/manager');
  wsManager.sendToUser('u1', 'plugin', {});
}

module.exports = plugin;
