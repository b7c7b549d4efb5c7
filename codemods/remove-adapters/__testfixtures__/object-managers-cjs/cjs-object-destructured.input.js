'use strict';
// A worker taking the members it calls out of the loaded object.
const { notify, register: add } = require('../legacy/wsManager');

function push(userId, event) {
  notify(userId, { type: 'event', event });
}

function join(userId, socket) {
  add(userId, socket);
}

module.exports = { push, join };
