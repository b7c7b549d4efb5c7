'use strict';
// Loaded only when realtime is on.
const wsManager = process.env.REALTIME ? require('../legacy/manager') : undefined;

exports.ping = function (userId) {
  if (wsManager) wsManager.sendToUser(userId, 'ping', {});
};
