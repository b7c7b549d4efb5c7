'use strict';
// A destructured member with a template is rewritten and trimmed off the require; one with none stays, marked.
const { notify, count } = require('../legacy/wsManager');

function report(userId) {
  notify(userId, { type: 'report', online: count() });
}

module.exports = { report };
