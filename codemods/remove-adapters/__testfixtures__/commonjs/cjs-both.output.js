'use strict';
const { hubOperations } = require('ssot-migrate/canonical');

exports.welcome = function (userId, socket) {
  hubOperations().connect(String(userId), socket);
  hubOperations().sendToUser(String(userId), { event: 'notification', data: { message: 'welcome' } });
};
