'use strict';
// A worker taking the members it calls out of the loaded object.
// TODO(ssot): members of a legacy default are destructured; call them on the object so their templates apply, or rewrite by hand
const { notify, register: add } = require('../legacy/wsManager');

function push(userId, event) {
  notify(userId, { type: 'event', event });
}

function join(userId, socket) {
  add(userId, socket);
}

module.exports = { push, join };
