// A singleton the module builds and exports itself; its class is not exported.
interface Sock {
  send(data: string): void;
}

class Registry {
  private readonly sockets = new Map<string, Sock>();

  register(userId: string, socket: Sock): void {
    this.sockets.set(userId, socket);
  }

  sendToUser(userId: string, event: { type: string }): number {
    this.sockets.get(userId)?.send(JSON.stringify(event));
    return this.sockets.has(userId) ? 1 : 0;
  }
}

export const registry = new Registry();
export default registry;
