'use strict';
// A worker taking the members it calls out of the loaded object.
const { hubOperations } = require('ssot-migrate/canonical');

function push(userId, event) {
  hubOperations().sendToUser(String(userId), { type: 'event', event });
}

function join(userId, socket) {
  hubOperations().connect(String(userId), socket);
}

module.exports = { push, join };
