// Shared test fixtures: a real server on 127.0.0.1:0 with its own hub, real tokens, real clients.
import { WebSocket } from 'ws';
import { expect } from 'vitest';
import { connectClient, createConnectionHub, createUserExecutionContext, createWebSocketManager, createWebSocketServer, mintToken } from '../index.js';
import type { CanonicalWebSocketServer, ClientOptions, ConnectionHubOptions, EventEnvelope, ScopedWebSocketManager, SsotClient, WebSocketServerOptions } from '../index.js';

export const SECRET = new TextEncoder().encode('test-secret-for-canonical-suite-0123456789');
export const ISSUER = 'https://auth.ssot.test';
export const AUDIENCE = 'ssot-ws';
export const ORIGIN = 'https://app.ssot.test';

export interface Fixture {
  server: CanonicalWebSocketServer;
  url: string;
  clients: SsotClient[];
  token(userId: string, extra?: Partial<Parameters<typeof mintToken>[0]>): Promise<string>;
  connect(userId: string, opts?: Partial<ClientOptions>): Promise<SsotClient>;
  manager(userId: string, runId: string, threadId?: string): ScopedWebSocketManager;
  close(): Promise<void>;
}

export async function startFixture(
  serverOptions: Partial<WebSocketServerOptions> = {},
  hubOptions: ConnectionHubOptions = {},
): Promise<Fixture> {
  const hub = createConnectionHub(hubOptions);
  const server = await createWebSocketServer({
    hub,
    port: 0,
    auth: { key: SECRET, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE },
    allowedOrigins: [ORIGIN],
    ...serverOptions,
  });
  const url = server.url();
  const clients: SsotClient[] = [];
  const fx: Fixture = {
    server,
    url,
    clients,
    token: (userId, extra = {}) => mintToken({ userId, key: SECRET, issuer: ISSUER, audience: AUDIENCE, ...extra }),
    async connect(userId, opts = {}) {
      const token = await fx.token(userId);
      const c = await connectClient({ url, token, WebSocket: WebSocket as never, heartbeatIntervalMs: 0, ...opts });
      clients.push(c);
      return c;
    },
    manager: (userId, runId, threadId = `thread-${userId}`) =>
      createWebSocketManager(createUserExecutionContext({ userId, threadId, runId }), { hub }),
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      await hub.close();
    },
  };
  return fx;
}

/** A token the fixture's server accepts (signature, issuer, audience), for any `sub`. */
export function mintTokenFor(sub: string): Promise<string> {
  return mintToken({ userId: sub, key: SECRET, issuer: ISSUER, audience: AUDIENCE });
}

/** Collects a client's events; `until(n)` resolves when n arrived (or rejects after timeoutMs). */
export function collect(client: SsotClient): { events: EventEnvelope[]; until(n: number, timeoutMs?: number): Promise<EventEnvelope[]> } {
  const events: EventEnvelope[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  client.on('event', (e) => {
    events.push(e);
    for (const w of [...waiters]) if (events.length >= w.n) w.resolve();
  });
  return {
    events,
    until(n, timeoutMs = 10_000) {
      if (events.length >= n) return Promise.resolve(events);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} events (got ${events.length})`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(events);
          },
        });
      });
    },
  };
}

/** Resolves with the first frame of `type` the client receives. */
export function nextFrame(client: SsotClient, type: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for a "${type}" frame`));
    }, timeoutMs);
    const off = client.on('frame', (f) => {
      if (f.type !== type) return;
      clearTimeout(timer);
      off();
      resolve(f);
    });
  });
}

/** Polls `check` until it is true (event-driven tests use this only for server-side state). */
export async function waitUntil(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The five events of one run, through a scoped manager. */
export async function runFiveEvents(m: ScopedWebSocketManager, toolName = 'search'): Promise<EventEnvelope[]> {
  return [
    await m.emit('agent_started', { agentName: 'triage' }),
    await m.emit('agent_thinking', { reasoning: 'looking up the order' }),
    await m.emit('tool_executing', { toolName, parameters: { q: 'order 42' } }),
    await m.emit('tool_completed', { toolName, results: { hits: 1 }, durationMs: 12 }),
    await m.emit('agent_completed', { status: 'success', finalResponse: 'Order 42 shipped.' }),
  ];
}

export interface RawUpgradeResult {
  /** HTTP status of the answer (101 when the handshake completed). */
  status: number;
  /** The raw header block of the answer (latin1). */
  head: string;
  /** HTTP body (refusals answered over HTTP). */
  body: string;
  /** With a completed handshake: the close frame the server sent, if any. */
  closeCode?: number;
  closeReason?: string;
  /** Bytes of the close reason as sent (UTF-8). */
  closeReasonBytes?: number;
}

/**
 * An upgrade request written byte for byte on a raw TCP socket — header values and the path go
 * out as given (latin1), which no HTTP client library would send — and the answer read back:
 * the HTTP refusal, or the handshake and the server's close frame. Resolves once the server
 * closes the connection (or after timeoutMs).
 */
export async function rawUpgrade(
  url: string,
  options: { path?: string; headers?: Record<string, string>; protocols?: string[]; timeoutMs?: number } = {},
): Promise<RawUpgradeResult> {
  const { createConnection } = await import('node:net');
  const { randomBytes } = await import('node:crypto');
  const u = new URL(url);
  const path = options.path ?? `${u.pathname}${u.search}`;
  const headers: Record<string, string> = {
    Host: u.host,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...(options.protocols ? { 'Sec-WebSocket-Protocol': options.protocols.join(', ') } : {}),
    ...options.headers,
  };
  const request = `GET ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return new Promise((resolve) => {
    const socket = createConnection({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = (end < 0 ? all : all.subarray(0, end)).toString('latin1');
      const rest = end < 0 ? Buffer.alloc(0) : all.subarray(end + 4);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const out: RawUpgradeResult = { status, head, body: status === 101 ? '' : rest.toString('utf8') };
      if (status === 101 && rest.length >= 2 && (rest[0]! & 0x0f) === 0x8) {
        let len = rest[1]! & 0x7f;
        let at = 2;
        if (len === 126) {
          len = rest.readUInt16BE(2);
          at = 4;
        }
        const payload = rest.subarray(at, at + len);
        if (payload.length >= 2) {
          out.closeCode = payload.readUInt16BE(0);
          out.closeReason = payload.subarray(2).toString('utf8');
          out.closeReasonBytes = payload.length - 2;
        }
      }
      resolve(out);
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 3000);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // A handshake followed by a whole close frame is the full answer (the server would wait for ours).
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0 || !all.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 101')) return;
      const rest = all.subarray(end + 4);
      if (rest.length >= 2 && rest.length >= 2 + (rest[1]! & 0x7f)) finish();
    });
    socket.on('close', finish);
    socket.on('error', finish);
    socket.on('connect', () => socket.write(Buffer.from(request, 'latin1')));
  });
}

/**
 * A client that stops reading while a run floods it with 32 KiB frames (awaited emits, one turn):
 * the server must close it with 4408 once its queue passes `maxBufferedBytes` (at most one frame
 * over), and once it reads again it resumes every event in order. `fx` was started with that bound
 * and an onSlowConsumer that stores the queued bytes, read through `bufferedAtDrop`.
 */
export async function expectSlowConsumerRecovers(fx: Fixture, userId: string, limit: number, bufferedAtDrop: () => number): Promise<void> {
  const client = await fx.connect(userId, { reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
  const got = collect(client);
  const closes: number[] = [];
  client.on('disconnected', (d) => closes.push(d.code));
  const raw = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  raw.pause(); // the client stops reading: the server's send queue grows
  const m = fx.manager(userId, 'run-slow');
  await m.emit('agent_started', { agentName: 'bulk' });
  const chunk = 'x'.repeat(32 * 1024);
  let emitted = 1;
  while (fx.server.hub.getUserConnections(userId).size > 0 && emitted < 900) {
    await m.emit('agent_thinking', { reasoning: chunk });
    emitted++;
  }
  expect(fx.server.hub.getUserConnections(userId).size).toBe(0); // dropped, not queued forever
  expect(fx.server.hub.stats().slowConsumerCloses).toBe(1);
  expect(bufferedAtDrop()).toBeGreaterThan(limit);
  expect(bufferedAtDrop()).toBeLessThan(limit + 2 * chunk.length); // bounded: at most one frame over
  await m.emit('agent_completed', { status: 'success', finalResponse: 'ok' });
  emitted++;
  raw.resume();
  await got.until(emitted, 30_000);
  expect(closes[0]).toBe(4408);
  expect(got.events.map((e) => e.seq)).toEqual(Array.from({ length: emitted }, (_, i) => i + 1));
  await waitUntil(() => fx.server.hub.getUserConnections(userId).size === 1, 5000, 'reconnected socket');
}
