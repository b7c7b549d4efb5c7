import { WebSocket } from 'ws';

const CLOSE_CODE = 1011;

/** Pipes one client socket to its upstream. */
export class Pipe {
  constructor(readonly client: WebSocket, readonly upstream: WebSocket) {
    upstream.on('message', (d) => client.send(d));
  }
}

export class PipeManager {
  private readonly pipes = new Map<string, Pipe>();

  add(id: string, client: WebSocket, upstream: WebSocket): void {
    this.pipes.set(id, new Pipe(client, upstream));
    client.on('close', () => {
      upstream.close(CLOSE_CODE);
      this.pipes.delete(id);
    });
  }
}
