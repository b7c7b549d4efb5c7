// Shared test fixtures: a real server on 127.0.0.1:0 with its own hub, real tokens, real clients.
import { WebSocket } from 'ws';
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
