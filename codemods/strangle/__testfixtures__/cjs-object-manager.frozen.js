'use strict';
// A plain-JS object manager written straight into module.exports (no const): methods over module state.
const sockets = new Map();

module.exports = {
  register(userId, socket) {
    sockets.set(userId, socket);
    this.notify(userId, { type: 'registered' });
  },
  notify(userId, message) {
    const socket = sockets.get(userId);
    if (socket) socket.send(JSON.stringify(message));
  },
  count: () => sockets.size,
};
