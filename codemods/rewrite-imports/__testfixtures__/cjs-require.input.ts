'use strict';
// CommonJS consumers: the instance a module exports whole (its members are a classes[] class's,
// remove-adapters' work) and a templated helper destructured with a rename (remove-adapters expands
// its calls): both loads stay as they are here.
const wsManager = require('../legacy/ws-instance');
const { sendToUser: push } = require('../legacy/conns');

function greet(userId) {
  if (wsManager.isOnline(userId)) wsManager.sendToUser(userId, 'hello', {});
  push(userId, { type: 'greeted' });
}

module.exports = { greet };
