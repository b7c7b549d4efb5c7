import type { Message, Socket } from './socket';

export class Hub {
  private readonly sockets = new Map<number, Socket>();
  private log: string[] = [];

  connect(id: number, socket: Socket): void {
    // TODO(ssot)[Hub.sockets]: Hub.sockets has no template in classes[].members; map it in ssot.config.json or rewrite it by hand
    this.sockets.set(id, socket);
    this.record(this.isConnected(id) ? 'reconnect' : 'connect');
  }

  record(event: string): void {
    this.log.push(event);
  }

  // a kept member reads pushAll as a value: pushAll stays, and with it isConnected, which it calls
  history(): string[] {
    // TODO(ssot): members of Hub are destructured from `this`, one Hub among any (no instances[] entry names it): a method taken off it runs with `this` undefined and a property is read once here, neither of which a template applied at each use reproduces — call them on the object so their templates apply, or rewrite by hand
    const { pushAll } = this;
    void pushAll;
    return this.log;
  }

  pushAll(message: Message): void {
    for (const id of this.sockets.keys()) if (this.isConnected(id)) this.sockets.get(id)!.send(JSON.stringify(message));
  }

  isConnected(id: number): boolean {
    // TODO(ssot)[Hub.sockets]: Hub.sockets has no template in classes[].members; map it in ssot.config.json or rewrite it by hand
    return this.sockets.has(id);
  }
}
