'use strict';
// A route reading a property the app set on each socket it registered (MultimediaSystemDemo's
// `client.id`): the template's leading JSDoc cast keeps the values `any` for checkJs.
const wsManager = require('../legacy/wsManager');

function ids() {
  return Object.values(wsManager.clients()).map((client) => client.id);
}

module.exports = { ids };
