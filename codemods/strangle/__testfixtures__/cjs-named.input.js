'use strict';
const clients = new Map();

exports.addClient = function (userId, socket) {
  clients.set(userId, socket);
};

module.exports.sendToUser = (userId, message) => {
  const socket = clients.get(userId);
  if (socket) socket.send(JSON.stringify(message));
};

exports['MAX_CLIENTS'] = 100;

exports.removeClient = function removeClient(userId) {
  clients.delete(userId);
};
