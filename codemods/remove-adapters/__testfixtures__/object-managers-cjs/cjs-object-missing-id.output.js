'use strict';
// init's draft for an untyped id, `$hub.isOnline($1 == null ? $1 : String($1))`: a missing id stays missing.
const { hubOperations } = require('ssot-migrate/canonical');

function online(user) {
  return hubOperations().isOnline(user.id == null ? user.id : String(user.id));
}

function onlineNow(lookup) {
  return (($1) => hubOperations().isOnline($1 == null ? $1 : String($1)))(lookup());
}

module.exports = { online, onlineNow };
