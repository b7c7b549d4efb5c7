// A plain JavaScript legacy hub (no types, a #private method): its facade is JavaScript too,
// with no type syntax.
export class JsHub {
  constructor() {
    this.sockets = new Map();
  }

  attach(userId, socket) {
    this.sockets.set(userId, socket);
    return userId;
  }

  publish(userId, event) {
    this.#write(this.sockets.get(userId), event);
    return this.sockets.has(userId) ? 1 : 0;
  }

  #write(socket, event) {
    if (socket) socket.send(JSON.stringify(event));
  }
}
