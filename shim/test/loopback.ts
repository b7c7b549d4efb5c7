/**
 * The shim tests' real `ws` server on 127.0.0.1 (a free port): each client it opens comes with the
 * server-side socket a facade registers and the frames the client receives.
 */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface LoopbackClient {
  server: WebSocket;
  frames: string[];
  close(): void;
}

export interface Loopback {
  client(): Promise<LoopbackClient>;
  close(): Promise<void>;
}

export async function startLoopback(): Promise<Loopback> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.on('listening', r));
  const { port } = wss.address() as AddressInfo;
  return {
    async client() {
      const server = new Promise<WebSocket>((r) => wss.once('connection', r));
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      const frames: string[] = [];
      ws.on('message', (d) => frames.push(String(d)));
      await new Promise((r) => ws.on('open', r));
      return { server: await server, frames, close: () => ws.close() };
    },
    close: () => new Promise<void>((r) => wss.close(() => r())),
  };
}

/** Time for frames in flight on loopback to arrive. */
export const settle = (): Promise<unknown> => new Promise((r) => setTimeout(r, 50));
