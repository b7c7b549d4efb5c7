import type { Message, Socket } from './socket';

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
    this.push({ type: 'bye' }, id);
  }

  online(): number[] {
    return [...this.sockets.keys()];
  }

  push(message: Message, id: number): void {
    if (this.sockets.has(id)) this.sockets.get(id)!.send(JSON.stringify(message));
  }
}
