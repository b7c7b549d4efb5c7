'use strict';
const { hubOperations } = require('ssot-migrate/canonical');

exports.welcome = function (userId, socket) {
  const hub = hubOperations();
  hub.connect(String(userId), socket);
  hub.sendToUser(String(userId), { event: 'notification', data: { message: 'welcome' } });
};
