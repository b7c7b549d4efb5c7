import type { Socket } from './socket';
import { hubOperations } from 'ssot-migrate/canonical';

export class Gateway {
  private readonly sockets: Map<number, Socket> = new Map();
  private log: string[] = [];

  connect(id: number, socket: Socket, friends: number[]): void {
    this.sockets.set(id, socket);
    this.log.push(`connect ${id}`);
    for (const friend of friends) {
      if (this.sockets.has(friend)) {
        this.sockets.get(friend)!.send(JSON.stringify({ type: 'online', id }));
      }
    }
  }

  close(id: number): void {
    this.sockets.delete(id);
    hubOperations().sendToUser(String(id), { ...{ type: 'bye' } });
  }

  online(): number[] {
    // TODO(ssot)[Gateway.sockets]: Gateway.sockets.keys has no template in classes[].members (sockets has "sockets.set", "sockets.has", "sockets.get.send", "sockets.delete"); add one, or a template for sockets as a whole, or rewrite it by hand — until then no use of sockets is rewritten (one state, not two)
    return [...this.sockets.keys()];
  }
}
