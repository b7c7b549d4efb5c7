'use strict';
const { hubOperations } = require('ssot-migrate/canonical');

// Loaded only when realtime is on.
const wsManager = process.env.REALTIME ? require('../legacy/manager') : undefined;

exports.ping = function (userId) {
  if (wsManager) hubOperations().sendToUser(String(userId), { event: 'ping', data: {} });
};
