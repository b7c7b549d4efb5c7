import { WebSocketServer as WSServer, WebSocket } from 'ws';
import { randomUUID } from 'node:crypto';

export interface Client {
  id: string;
  ws: WebSocket;
}

export type Handler = (client: Client, data: unknown) => Promise<void>;

/** Request/response over anonymous clients. */
export class RpcServer {
  private wss: WSServer | null = null;
  private clients = new Map<string, Client>();
  private handlers = new Map<string, Handler>();

  start(port: number): void {
    this.wss = new WSServer({ port });
    this.wss.on('connection', (ws: WebSocket) => {
      const client: Client = { id: randomUUID(), ws };
      this.clients.set(client.id, client);
    });
  }

  on(type: string, handler: Handler): void {
    this.handlers.set(type, handler);
  }

  sendTo(id: string, frame: object): boolean {
    const c = this.clients.get(id);
    if (c?.ws.readyState !== WebSocket.OPEN) return false;
    c.ws.send(JSON.stringify(frame));
    return true;
  }
}

// Singleton instance
export const rpc = new RpcServer();
