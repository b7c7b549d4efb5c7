import type { Message, Socket } from './socket';

export class Hub {
  private readonly sockets = new Map<number, Socket>();
  private log: string[] = [];

  // reaches the socket map itself: no template says what that becomes
  connect(id: number, socket: Socket): void {
    this.sockets.set(id, socket);
    this.record('connect');
  }

  push(message: Message, id: number): void {
    this.sockets.get(id)?.send(JSON.stringify(message));
  }

  record(event: string): void {
    this.log.push(event);
    const { size } = this;
    if (size > 100) this.log.shift();
  }

  get size(): number {
    return this.sockets.size;
  }
}
