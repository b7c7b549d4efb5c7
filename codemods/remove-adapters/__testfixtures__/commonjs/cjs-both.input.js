'use strict';
const wsManager = require('../legacy/manager');
const notifier = require('../legacy/notify');

exports.welcome = function (userId, socket) {
  wsManager.register(userId, socket);
  notifier.notifyUser(userId, 'welcome');
};
