/**
 * A legacy class used through its statics (manifest classes[].statics), routed by
 * defineLegacyManagerAlias's `statics` table: canonical → the template on the one hub; legacy →
 * the frozen static on the frozen class (its own socket map, `this.x` between its statics);
 * strict → DeprecatedApiError; shadow → the frozen static serves, the template runs on a private
 * hub, nothing is delivered twice. A data static with a template reads per mode; statics without
 * one stay the frozen class's through the alias; the app's subclass reaches the routed statics.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionHub } from '../../canonical/index.js';
import { createConnectionHub, setDefaultHub } from '../../canonical/index.js';
import { DeprecatedApiError } from '../errors.js';
import { defineLegacyManagerAlias } from '../proxies/manager.js';
import { staticTable } from '../proxies/statics.js';
import { createShimRuntime, setShimRuntime } from '../runtime.js';
import type { ShimRuntime } from '../runtime.js';

type Socket = { send(data: string): void };

/** The frozen legacy class: never instantiated, all statics (an arrow property, methods, a getter, a field). */
class FrozenClients {
  static webSocketClients: { [userId: string]: Socket[] } = {};
  static registerWebSocketClient = (userId: string, ws: Socket): void => {
    FrozenClients.webSocketClients[userId] = [...(FrozenClients.webSocketClients[userId] ?? []), ws];
  };
  static emitDataToUser = (userId: string, messageType: string, messageData: unknown): void => {
    for (const ws of FrozenClients.webSocketClients[userId] ?? []) ws.send(JSON.stringify({ type: messageType, payload: messageData }));
  };
  static emitDataToUsers(users: string[], messageType: string, messageData: unknown): void {
    for (const u of users) this.emitDataToUser(u, messageType, messageData);
  }
  static get connectedUsers(): string[] {
    return Object.keys(this.webSocketClients);
  }
  static untemplated(): string {
    return 'frozen';
  }
}

const spec = { id: 'STC001', symbol: 'WebSocketClients', replacement: 'hubOperations() from ssot-migrate/canonical' };
const statics = staticTable<typeof FrozenClients>({
  methods: {
    registerWebSocketClient: (self, userId, ws) => void self.hub.connect(userId, ws),
    emitDataToUser: (self, userId, type, payload) => void self.hub.sendToUser(userId, { type, payload }),
    emitDataToUsers: (self, users, type, payload) => users.forEach((u) => self.hub.sendToUser(u, { type, payload })),
  },
  properties: { connectedUsers: (self) => self.hub.listConnectedUsers() },
  detached: ['registerWebSocketClient', 'emitDataToUser', 'emitDataToUsers'],
});

let hub: ConnectionHub;
let runtime: ShimRuntime;
beforeEach(() => {
  FrozenClients.webSocketClients = {};
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

const define = () => defineLegacyManagerAlias(spec, FrozenClients, { statics });
const sink = (out: string[], tag = '') => ({ send: (d: string) => void out.push(`${tag}${d}`) });

describe('defineLegacyManagerAlias statics', () => {
  it('canonical (the default): each templated static runs its template on the one hub; the frozen map is untouched', () => {
    const C = define();
    const out: string[] = [];
    C.registerWebSocketClient('alice', sink(out));
    C.emitDataToUser('alice', 'welcome', { n: 1 });
    C.emitDataToUsers(['alice', 'nobody'], 'update', 2);
    expect(out.map((d) => JSON.parse(d))).toMatchObject([{ type: 'welcome', payload: { n: 1 } }, { type: 'update', payload: 2 }]);
    expect(hub.getUserConnections('alice').size).toBe(1);
    expect(FrozenClients.webSocketClients).toEqual({});
    expect(C.connectedUsers).toEqual(['alice']);
    // a static with no template stays the frozen class's (the alias inherits it)
    expect(C.untemplated()).toBe('frozen');
    expect(C.emitDataToUser.name).toBe('emitDataToUser');
  });

  it('legacy: the frozen statics on the frozen class (its map, this.x between statics); strict: DeprecatedApiError naming the static', () => {
    runtime.modes.set('STC001', 'legacy');
    const C = define();
    const out: string[] = [];
    C.registerWebSocketClient('bob', sink(out));
    C.emitDataToUsers(['bob'], 'update', 3);
    expect(out).toEqual(['{"type":"update","payload":3}']);
    expect(Object.keys(FrozenClients.webSocketClients)).toEqual(['bob']);
    expect(C.connectedUsers).toEqual(['bob']);
    expect(hub.getUserConnections('bob').size).toBe(0);
    runtime.modes.set('STC001', 'strict');
    expect(() => C.emitDataToUser('bob', 'x', null)).toThrow(DeprecatedApiError);
    expect(() => C.emitDataToUser('bob', 'x', null)).toThrow(/STC001.*WebSocketClients\.emitDataToUser/);
    expect(() => C.connectedUsers).toThrow(/WebSocketClients\.connectedUsers/);
  });

  it('a flip applies at the next call; every call is counted per static and call site', () => {
    const C = define();
    const out: string[] = [];
    FrozenClients.registerWebSocketClient('carol', sink(out, 'legacy:'));
    hub.addConnection({ connectionId: 'c1', userId: 'carol', socket: sink(out, 'canonical:'), connectedAt: new Date() });
    C.emitDataToUser('carol', 'a', 1);
    runtime.modes.set('STC001', 'legacy');
    C.emitDataToUser('carol', 'b', 2);
    expect(out.map((r) => r.split(':')[0])).toEqual(['canonical', 'legacy']);
    const recs = runtime.telemetry.snapshot().filter((r) => r.id === 'STC001' && r.symbol === 'WebSocketClients.emitDataToUser');
    expect(recs.reduce((n, r) => n + r.count, 0)).toBe(2);
    expect(recs.every((r) => r.site?.file.endsWith('statics.test.ts'))).toBe(true);
  });

  it('shadow: the frozen static serves and the template runs on a private hub (nothing twice), compared', () => {
    runtime.modes.set('STC001', 'shadow');
    const C = define();
    const out: string[] = [];
    C.registerWebSocketClient('dan', sink(out));
    C.emitDataToUser('dan', 'once', { ok: true });
    expect(out).toEqual(['{"type":"once","payload":{"ok":true}}']);
    expect(runtime.shadow.mismatches()).toEqual([]);
  });

  it("the app's subclass reaches the routed statics", () => {
    const C = define();
    class Mine extends C {
      static hello(userId: string): void {
        this.emitDataToUser(userId, 'hello', null);
      }
    }
    const out: string[] = [];
    Mine.registerWebSocketClient('eve', sink(out));
    Mine.hello('eve');
    expect(out.map((d) => JSON.parse(d).type)).toEqual(['hello']);
    expect(hub.getUserConnections('eve').size).toBe(1);
  });
});

describe('defineLegacyManagerAlias statics on real loopback sockets', () => {
  it('canonical: a real ws client registered through the routed static receives what the routed static sends; legacy: the same through the frozen class', async () => {
    const { WebSocket, WebSocketServer } = await import('ws');
    const C = define();
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const port = (wss.address() as { port: number }).port;
    wss.on('connection', (ws, req) => C.registerWebSocketClient(new URL(req.url ?? '/', 'http://x').searchParams.get('u') ?? 'anon', ws));
    const open = async (u: string) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/?u=${u}`);
      const frames: unknown[] = [];
      ws.on('message', (d) => frames.push(JSON.parse(String(d))));
      await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
      await new Promise((r) => setTimeout(r, 50));
      return { ws, frames };
    };
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      const alice = await open('alice');
      C.emitDataToUser('alice', 'canonical', 1);
      await until(() => alice.frames.length > 0);
      expect(alice.frames).toMatchObject([{ type: 'canonical', payload: 1 }]);
      expect(hub.getUserConnections('alice').size).toBe(1);
      runtime.modes.set('STC001', 'legacy');
      const bob = await open('bob');
      C.emitDataToUsers(['bob'], 'legacy', 2);
      await until(() => bob.frames.length > 0);
      expect(bob.frames).toEqual([{ type: 'legacy', payload: 2 }]);
      expect(Object.keys(FrozenClients.webSocketClients)).toEqual(['bob']);
      for (const c of [alice, bob]) c.ws.close();
    } finally {
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});
