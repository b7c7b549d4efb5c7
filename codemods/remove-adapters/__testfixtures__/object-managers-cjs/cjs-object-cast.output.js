'use strict';
// A route reading a property the app set on each socket it registered (MultimediaSystemDemo's
// `client.id`): the template's leading JSDoc cast keeps the values `any` for checkJs.
const { hubOperations } = require('ssot-migrate/canonical');

function ids() {
  return Object.values(/** @type {Record<string, any>} */ (Object.fromEntries([['hub', hubOperations()]]))).map((client) => client.id);
}

module.exports = { ids };
