'use strict';
// A route handler on the exported singleton.
const { stamp } = require('../lib/format');
const { hubOperations } = require('ssot-migrate/canonical');

function postMessage(fromUser, toUser, text) {
  if (!hubOperations().isOnline(String(toUser))) return false;
  hubOperations().sendToUser(String(toUser), { event: 'chat', data: { from: fromUser, text, at: stamp() } });
  return true;
}

module.exports = { postMessage };
