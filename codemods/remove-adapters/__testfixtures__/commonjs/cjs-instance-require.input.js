'use strict';
// A route handler on the exported singleton.
const { stamp } = require('../lib/format');
const wsManager = require('../legacy/manager');

function postMessage(fromUser, toUser, text) {
  if (!wsManager.isOnline(toUser)) return false;
  wsManager.sendToUser(toUser, 'chat', { from: fromUser, text, at: stamp() });
  return true;
}

module.exports = { postMessage };
