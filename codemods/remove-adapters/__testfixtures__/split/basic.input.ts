import type { Message, Socket } from './socket';
import { Trace } from './socket';

/** App state and sockets in one class. */
export class Hub {
  private readonly sockets = new Map<number, Socket>();
  private log: string[] = [];

  constructor(private readonly name: string) {}

  connect(id: number, socket: Socket): void {
    this.register(id, socket);
    this.record(`connect ${id}`);
    if (this.isConnected(id - 1)) this.push({ type: 'hello', text: this.name }, id - 1);
  }

  /** Writes the socket map. */
  register(id: number, socket: Socket): void {
    this.sockets.set(id, socket);
  }

  @Trace()
  push(message: Message, id: number): void {
    this.sockets.get(id)?.send(JSON.stringify(message));
  }

  push2(message: Message): void {
    this.pushAll(message);
  }

  pushAll(message: Message): void {
    this.sockets.forEach((s) => s.send(JSON.stringify(message)));
  }

  isConnected(id: number): boolean {
    return this.sockets.has(id);
  }

  record(event: string): void {
    this.log.push(event);
  }

  history(): string[] {
    return this.log;
  }

  get size(): number {
    return this.sockets.size;
  }
}

export function announce(hub: Hub, text: string): number {
  hub.pushAll({ type: 'announce', text });
  hub.record('announce');
  return hub.size;
}
