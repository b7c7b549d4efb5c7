import { WebSocket } from 'ws';

const CLOSE_CODE = 1011;

/** The upstream a client is piped to (stays: the barrel's users read it). */
export const upstreamUrl = (): string => process.env['UPSTREAM_URL'] ?? '';

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
