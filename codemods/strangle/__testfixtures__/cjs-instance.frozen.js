'use strict';
// A CommonJS singleton: the module exports one instance of a class it does not export.
const { EventEmitter } = require('events');

class WsManager extends EventEmitter {
  constructor() {
    super();
    this.sockets = new Map();
  }

  register(userId, socket) {
    this.sockets.set(userId, socket);
  }

  sendToUser(userId, event, data) {
    const socket = this.sockets.get(userId);
    if (socket) socket.send(JSON.stringify({ event, data }));
  }
}

exports = module.exports = new WsManager();
