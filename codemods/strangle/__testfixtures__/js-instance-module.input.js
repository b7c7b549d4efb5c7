// A JavaScript singleton: exported instance only.
class Presence {
  constructor() {
    this.sockets = new Map();
  }

  add(userId, socket) {
    this.sockets.set(userId, socket);
  }

  notify(userId, event) {
    const socket = this.sockets.get(userId);
    if (socket) socket.send(JSON.stringify(event));
  }
}

export const presence = new Presence();
