'use strict';
// An Express route on the object manager loaded whole.
const { hubOperations } = require('ssot-migrate/canonical');

function onConnect(userId, socket) {
  hubOperations().connect(String(userId), socket);
  hubOperations().sendToUser(String(userId), { type: 'welcome' });
}

module.exports = { onConnect };
