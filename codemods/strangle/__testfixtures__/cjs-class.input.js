'use strict';
// A CommonJS module whose whole export is its manager class: consumers `new` it themselves.
class Hub {
  constructor() {
    this.sockets = new Map();
  }

  attach(userId, socket) {
    this.sockets.set(userId, socket);
    return userId;
  }

  publish(userId, event) {
    const socket = this.sockets.get(userId);
    if (socket) socket.send(JSON.stringify(event));
    return socket ? 1 : 0;
  }
}

module.exports = Hub;
