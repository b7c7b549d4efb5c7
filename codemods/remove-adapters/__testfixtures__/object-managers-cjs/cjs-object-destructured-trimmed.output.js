'use strict';
// A destructured member with a template is rewritten and trimmed off the require; one with none stays, marked.
// TODO(ssot)[default]: members of default destructured here stay on the legacy object: default.count has no template in classes[].members — call them on `require('../legacy/wsManager')` so their templates apply, or rewrite by hand
const { count } = require('../legacy/wsManager');
const { hubOperations } = require('ssot-migrate/canonical');

function report(userId) {
  hubOperations().sendToUser(String(userId), { type: 'report', online: count() });
}

module.exports = { report };
