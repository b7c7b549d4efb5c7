// A CommonJS module exporting its class, a getter of the shared instance and that instance.
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

const hub = new Hub();

function getHub() {
  return hub;
}

module.exports = { Hub, getHub, hub, version: '1.2' };
