// A JavaScript object manager: methods calling each other through `this`, module state.
const sockets = new Map();

export const presence = {
  add(userId, socket) {
    sockets.set(userId, socket);
    this.announce(userId, 'online');
  },
  announce(userId, status) {
    sockets.get(userId)?.send(JSON.stringify({ type: 'presence', userId, status }));
  },
  get online() {
    return sockets.size;
  },
};
