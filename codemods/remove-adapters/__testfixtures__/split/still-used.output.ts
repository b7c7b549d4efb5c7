import type { Socket } from './socket';

export class Hub {
  private readonly sockets = new Map<number, Socket>();
  private log: string[] = [];

  // reaches the socket map itself: no template says what that becomes
  connect(id: number, socket: Socket): void {
    // TODO(ssot)[Hub.sockets]: Hub.sockets has no template in classes[].members; map it in ssot.config.json or rewrite it by hand
    this.sockets.set(id, socket);
    this.record('connect');
  }

  record(event: string): void {
    this.log.push(event);
    // TODO(ssot): members of Hub are destructured from `this`, one Hub among any (no instances[] entry names it): a method taken off it runs with `this` undefined and a property is read once here, neither of which a template applied at each use reproduces — call them on the object so their templates apply, or rewrite by hand
    const { size } = this;
    if (size > 100) this.log.shift();
  }

  get size(): number {
    return this.sockets.size;
  }
}
