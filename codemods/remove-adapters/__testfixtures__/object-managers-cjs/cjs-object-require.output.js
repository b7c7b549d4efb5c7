'use strict';
// An Express route on the object manager loaded whole.
const { hubOperations } = require('ssot-migrate/canonical');

function onConnect(userId, socket) {
  const hub = hubOperations();
  hub.connect(String(userId), socket);
  hub.sendToUser(String(userId), { type: 'welcome' });
}

module.exports = { onConnect };
