'use strict';
// An Express route on the object manager loaded whole.
const wsManager = require('../legacy/wsManager');

function onConnect(userId, socket) {
  wsManager.register(userId, socket);
  wsManager.notify(userId, { type: 'welcome' });
}

module.exports = { onConnect };
