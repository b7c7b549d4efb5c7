/**
 * The shim tests' real `ws` server on 127.0.0.1 (a free port): each client it opens comes with the
 * server-side socket a facade registers and the frames the client receives.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
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

/** What `useShimLoopback` hands a test file: the current test's runtime, hub and server, its clients and warnings. */
export interface ShimTestbed extends ShimLoopback {
  /** A loopback client, closed after the test. */
  client(): Promise<LoopbackClient>;
  /** The process warnings emitted during the current test. */
  readonly warnings: string[];
}

/**
 * A fresh runtime, hub and loopback server around each test of the file (beforeEach/afterEach), the
 * clients it opened closed and the process warnings it caused collected — the flip tests' common frame.
 */
export function useShimLoopback(options: { beforeEach?: () => void } = {}): ShimTestbed {
  let current: ShimLoopback | undefined;
  const open: LoopbackClient[] = [];
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
  beforeEach(async () => {
    current = await openShimLoopback();
    warnings.length = 0;
    process.on('warning', onWarning);
    options.beforeEach?.();
  });
  afterEach(async () => {
    process.off('warning', onWarning);
    for (const c of open.splice(0)) c.close();
    if (current) await closeShimLoopback(current);
    current = undefined;
  });
  const live = (): ShimLoopback => {
    if (!current) throw new Error('useShimLoopback: only inside a test');
    return current;
  };
  return {
    get runtime() { return live().runtime; },
    get hub() { return live().hub; },
    get loop() { return live().loop; },
    warnings,
    async client() {
      const c = await live().loop.client();
      open.push(c);
      return c;
    },
  };
}
