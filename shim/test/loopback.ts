/**
 * The shim tests' real `ws` server on 127.0.0.1 (a free port): each client it opens comes with the
 * server-side socket a facade registers and the frames the client receives.
 */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { createConnectionHub, setDefaultHub, type ConnectionHub } from '../../canonical/index.js';
import { createShimRuntime, setShimRuntime, type ShimRuntime } from '../runtime.js';

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

/** What a shim test over loopback runs against: its runtime and hub (installed process-wide) and the server. */
export interface ShimLoopback {
  runtime: ShimRuntime;
  hub: ConnectionHub;
  loop: Loopback;
}

/** A fresh shim runtime and default hub, installed for the test, and a loopback server (beforeEach). */
export async function openShimLoopback(): Promise<ShimLoopback> {
  const runtime = createShimRuntime({ emitWarning: () => undefined });
  setShimRuntime(runtime);
  const hub = createConnectionHub();
  setDefaultHub(hub);
  return { runtime, hub, loop: await startLoopback() };
}

/** Closes what openShimLoopback opened and uninstalls the default hub (afterEach). */
export async function closeShimLoopback({ runtime, hub, loop }: ShimLoopback): Promise<void> {
  await hub.close();
  setDefaultHub(undefined);
  runtime.close();
  await loop.close();
}
