'use strict';
// init's draft for an untyped id, `$hub.isOnline($1 == null ? $1 : String($1))`: a missing id stays missing.
const wsManager = require('../legacy/wsManager');

function online(user) {
  return wsManager.isOnline(user.id);
}

function onlineNow(lookup) {
  return wsManager.isOnline(lookup());
}

module.exports = { online, onlineNow };
