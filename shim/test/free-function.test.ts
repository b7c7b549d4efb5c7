/**
 * A legacy free function routed by its id's mode (defineLegacyFreeFunction): the template on the
 * one canonical hub, the frozen function, strict, shadow; counted per call site; without a
 * template legacy by default and UnmappedMemberError (never a TypeError) when forced canonical.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { ConnectionHub } from '../../canonical/index.js';
import { createConnectionHub, setDefaultHub } from '../../canonical/index.js';
import { DeprecatedApiError, UnmappedMemberError } from '../errors.js';
import { defineLegacyFreeFunction } from '../proxies/free-function.js';
import { createShimRuntime, setShimRuntime } from '../runtime.js';
import type { ShimRuntime } from '../runtime.js';

// the legacy module's state: a Map of sockets per user
const legacySockets = new Map<string, { send(d: string): void }[]>();
function addClient(userId: string, ws: { send(d: string): void }): void {
  legacySockets.set(userId, [...(legacySockets.get(userId) ?? []), ws]);
}
function sendToUser(userId: string, message: unknown): void {
  for (const s of legacySockets.get(userId) ?? []) s.send(JSON.stringify(message));
}
async function notifyLater(userId: string): Promise<void> {
  void userId;
}

const spec = (symbol: string) => ({ id: 'FNS001', symbol, replacement: 'hubOperations() from ssot-migrate/canonical' });
let hub: ConnectionHub;
let runtime: ShimRuntime;

beforeEach(() => {
  legacySockets.clear();
  runtime = createShimRuntime({ emitWarning: () => undefined });
  setShimRuntime(runtime);
  hub = createConnectionHub();
  setDefaultHub(hub);
});
afterEach(async () => {
  await hub.close();
  setDefaultHub(undefined);
  runtime.close();
});

const add = () => defineLegacyFreeFunction(spec('addClient'), addClient, { canonical: (self, userId, ws) => void self.hub.connect(userId, ws) });
const send = () => defineLegacyFreeFunction(spec('sendToUser'), sendToUser, { canonical: (self, userId, message) => void self.hub.sendToUser(userId, message as Record<string, unknown>) });

describe('defineLegacyFreeFunction', () => {
  it('canonical (the default): the template on the one canonical hub; the frozen module state is not touched', () => {
    const raw: string[] = [];
    add()('alice', { send: (d) => raw.push(d) });
    send()('alice', { type: 'hello' });
    expect(raw.map((r) => JSON.parse(r).type)).toEqual(['hello']);
    expect(hub.getUserConnections('alice').size).toBe(1);
    expect(legacySockets.size).toBe(0);
  });

  it('legacy: the frozen function serves; strict: DeprecatedApiError naming the id and function', () => {
    runtime.modes.set('FNS001', 'legacy');
    const raw: string[] = [];
    add()('bob', { send: (d) => raw.push(d) });
    send()('bob', { type: 'x' });
    expect(raw).toEqual(['{"type":"x"}']);
    expect(hub.getUserConnections('bob').size).toBe(0);
    runtime.modes.set('FNS001', 'strict');
    expect(() => send()('bob', {})).toThrow(DeprecatedApiError);
    expect(() => send()('bob', {})).toThrow(/FNS001/);
  });

  it('a flip applies at the next call (the mode is read per call)', () => {
    const f = send();
    const raw: string[] = [];
    addClient('carol', { send: (d) => raw.push(`legacy:${d}`) });
    hub.addConnection({ connectionId: 'c1', userId: 'carol', socket: { send: (d) => raw.push(`canonical:${d}`) }, connectedAt: new Date() });
    f('carol', { n: 1 });
    runtime.modes.set('FNS001', 'legacy');
    f('carol', { n: 2 });
    expect(raw.map((r) => r.split(':')[0])).toEqual(['canonical', 'legacy']);
  });

  it('counts every call per call site, with the caller file:line', () => {
    const f = send();
    f('u', {});
    f('u', {});
    for (let i = 0; i < 3; i++) f('u', {});
    const recs = runtime.telemetry.snapshot().filter((r) => r.id === 'FNS001' && r.symbol === 'sendToUser');
    expect(recs.map((r) => r.count)).toEqual([1, 1, 3]);
    expect(recs.every((r) => r.site?.file.endsWith('free-function.test.ts'))).toBe(true);
    expect(f.name).toBe('sendToUser');
    expect(f.length).toBe(2);
  });

  it('shadow: the frozen function serves and the template runs on a private hub (nothing twice); a throwing template is a recorded mismatch', () => {
    runtime.modes.set('FNS001', 'shadow');
    const raw: string[] = [];
    addClient('dan', { send: (d) => raw.push(d) });
    hub.addConnection({ connectionId: 'd1', userId: 'dan', socket: { send: (d) => raw.push(`canonical:${d}`) }, connectedAt: new Date() });
    send()('dan', { type: 'once' });
    expect(raw).toEqual(['{"type":"once"}']);
    expect(runtime.shadow.total).toBe(0);
    const broken = defineLegacyFreeFunction(spec('sendToUser'), sendToUser, {
      canonical: () => {
        throw new Error('no such user');
      },
    });
    broken('dan', {});
    expect(runtime.shadow.mismatches()[0]).toMatchObject({ id: 'FNS001', op: 'sendToUser', error: 'only shadow threw: no such user' });
    expect(raw).toHaveLength(2);
  });

  it('no template: legacy by default; forced canonical throws UnmappedMemberError naming functions[].templates', () => {
    const raw: string[] = [];
    addClient('eve', { send: (d) => raw.push(d) });
    const f = defineLegacyFreeFunction(spec('sendToUser'), sendToUser);
    f('eve', { a: 1 });
    expect(raw).toHaveLength(1);
    runtime.modes.set('FNS001', 'canonical');
    expect(() => f('eve', {})).toThrow(UnmappedMemberError);
    expect(() => f('eve', {})).toThrow(/FNS001: sendToUser\(\) in canonical mode: no canonical template .*functions\[\]\.templates/);
  });

  it('a void function whose template returns a promise stays synchronous; its rejection is reported, never unhandled', async () => {
    const f = defineLegacyFreeFunction(spec('notifyLater'), notifyLater as unknown as (u: string) => void, { canonical: () => Promise.reject(new Error('offline')), detached: true });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    const reported: string[] = [];
    const onWarning = (w: Error) => reported.push(w.message);
    process.on('unhandledRejection', onUnhandled);
    process.on('warning', onWarning);
    try {
      expect(f('u')).toBeUndefined();
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      expect(reported.some((m) => m.includes('FNS001: notifyLater: offline'))).toBe(true);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.off('warning', onWarning);
    }
  });

  describe('shadow compares the frames both sides wrote (real sockets on loopback)', () => {
    /** A legacy module that keeps the socket itself, listens for its close and tags it, as real modules do. */
    const registry = new Map<string, WebSocket>();
    function register(userId: string, ws: WebSocket): void {
      (ws as WebSocket & { userId?: string }).userId = userId;
      ws.on('close', () => registry.delete(userId));
      registry.set(userId, ws);
    }
    function notify(userId: string, event: string): void {
      registry.get(userId)?.send(JSON.stringify({ type: event, ts: Date.now() }));
    }
    const ids = { id: 'FNS002', replacement: 'hubOperations()' };

    async function connected(): Promise<{ server: WebSocket; client: WebSocket; got: string[]; close(): Promise<void> }> {
      const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      await new Promise((r) => wss.once('listening', r));
      const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
      const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
      const got: string[] = [];
      client.on('message', (d) => got.push(String(d)));
      const server = await serverSide;
      await new Promise((r) => client.once('open', r));
      return {
        server,
        client,
        got,
        close: async () => {
          client.close();
          await new Promise((r) => wss.close(r));
        },
      };
    }

    it('the same frames: no mismatch, each delivered once; the served module used the socket as its own (on, own fields)', async () => {
      runtime.modes.set('FNS002', 'shadow');
      registry.clear();
      const reg = defineLegacyFreeFunction({ ...ids, symbol: 'register' }, register, { canonical: (self, userId, ws) => void self.hub.connect(userId, ws) });
      const note = defineLegacyFreeFunction({ ...ids, symbol: 'notify' }, notify, { canonical: (self, userId, event) => void self.hub.sendToUser(userId, { type: event }) });
      const c = await connected();
      try {
        reg('ann', c.server);
        note('ann', 'hello');
        note('ann', 'again');
        await new Promise((r) => setTimeout(r, 50));
        expect(c.got.map((g) => JSON.parse(g).type)).toEqual(['hello', 'again']);
        expect(runtime.shadow.calls).toBe(3);
        expect(runtime.shadow.mismatches()).toEqual([]);
        expect((c.server as WebSocket & { userId?: string }).userId).toBe('ann');
        expect(hub.getUserConnections('ann').size).toBe(0);
        c.client.close();
        await new Promise((r) => setTimeout(r, 50));
        expect(registry.has('ann')).toBe(false);
      } finally {
        await c.close();
      }
    });

    it('a template writing another frame is a mismatch naming both sides\' frames; a later rejection is one too', async () => {
      runtime.modes.set('FNS002', 'shadow');
      registry.clear();
      const reg = defineLegacyFreeFunction({ ...ids, symbol: 'register' }, register, { canonical: (self, userId, ws) => void self.hub.connect(userId, ws) });
      const note = defineLegacyFreeFunction({ ...ids, symbol: 'notify' }, notify, { canonical: (self, userId, event) => void self.hub.sendToUser(userId, { type: `${event}!` }) });
      const later = defineLegacyFreeFunction({ ...ids, symbol: 'notify' }, notify, { canonical: () => Promise.reject(new Error('hub offline')), detached: true });
      const c = await connected();
      try {
        reg('bo', c.server);
        note('bo', 'hi');
        const [m] = runtime.shadow.mismatches();
        expect(m).toMatchObject({ id: 'FNS002', op: 'notify', primarySide: 'legacy' });
        expect(m!.primary.join()).toContain('"type":"hi"');
        expect(m!.shadow.join()).toContain('"type":"hi!"');
        expect(m!.error).toBeUndefined();
        later('bo', 'x');
        await new Promise((r) => setTimeout(r, 50));
        // the frames first (the legacy frame against none, as the shadow wrote nothing before rejecting), then the rejection
        expect(runtime.shadow.mismatches()[1]).toMatchObject({ op: 'notify', shadow: [] });
        expect(runtime.shadow.mismatches()[1]!.primary.join()).toContain('"type":"x"');
        expect(runtime.shadow.mismatches()[2]).toMatchObject({ op: 'notify', error: 'only shadow threw: hub offline', primary: [], shadow: [] });
        expect(c.got.map((g) => JSON.parse(g).type)).toEqual(['hi', 'x']);
      } finally {
        await c.close();
      }
    });
  });
});
