/**
 * A runtime flip (an on-call ROLLBACK to legacy, or a flip forward) must not lose the connections
 * registered under the other mode. An object manager and an exported class instance keep their
 * sockets in one place per side (the canonical hub, the legacy module's Map); the members a
 * table lists in `registration` (a free function: its `registration` option) run on both sides in every mode, the side that does not serve
 * with stand-ins that never write to the socket (dual.ts). Real `ws` sockets on loopback: each
 * test asserts the frames a real client received, welcome frames exactly once.
 */
import { describe, expect, it } from 'vitest';
import { hubOperations } from '../../canonical/index.js';
import { DeprecatedApiError } from '../errors.js';
import { defineLegacyFreeFunction } from '../proxies/free-function.js';
import { defineLegacyInstance } from '../proxies/instance.js';
import { defineLegacyObject } from '../proxies/object.js';
import { canonicalTable } from '../proxies/templated.js';
import type { CanonicalTable } from '../proxies/templated.js';
import { settle, useShimLoopback, type LoopbackClient } from './loopback.js';
import { Stream, streamFeed } from './stream-feed.js';

interface Sock {
  send(d: string): void;
  on(event: 'close', l: () => void): unknown;
}

/** An object manager over module state: register sends a welcome frame and forgets the socket when it closes. */
function objectModule() {
  const sockets = new Map<string, Sock>();
  const manager = {
    register(orderId: string, socket: Sock): void {
      sockets.set(orderId, socket);
      socket.on('close', () => sockets.delete(orderId));
      this.notify(orderId, { orderId, status: 'subscribed' });
    },
    unregister(orderId: string): void {
      sockets.delete(orderId);
    },
    notify(orderId: string, payload: Record<string, unknown>): void {
      sockets.get(orderId)?.send(JSON.stringify(payload));
    },
    /** Legacy code that writes on its own (a timer, a broadcast): it never goes through the facade. */
    broadcast(payload: Record<string, unknown>): void {
      for (const s of sockets.values()) s.send(JSON.stringify(payload));
    },
  };
  return { manager, sockets };
}
type ObjectManager = ReturnType<typeof objectModule>['manager'];

const objectMethods = canonicalTable<ObjectManager>({
  methods: {
    register: (self, orderId, socket) => {
      self.hub.connect(orderId, socket);
      void self.hub.sendToUser(orderId, { orderId, status: 'subscribed' });
    },
    unregister: (self, orderId) => {
      for (const id of self.hub.hub.getUserConnections(orderId)) self.hub.disconnect(id);
    },
    notify: (self, orderId, payload) => void self.hub.sendToUser(orderId, { ...payload }),
  },
  legacy: ['broadcast'],
});
const objectTable = canonicalTable<ObjectManager>({ ...objectMethods, registration: ['register', 'unregister'] });

/** A class whose one instance the module exports; register greets through the hub's `greeting`. */
class Registry {
  sockets = new Map<string, Sock>();
  register(userId: string, socket: Sock): void {
    this.sockets.set(userId, socket);
    socket.send(JSON.stringify({ type: 'hello', userId }));
  }
  sendToUser(userId: string, event: string, data: unknown): void {
    this.sockets.get(userId)?.send(JSON.stringify({ event, data }));
  }
}
const registryMethods = canonicalTable<Registry>({
  methods: {
    register: (self, userId, socket) => void self.hub.connect(userId, socket, { greeting: () => ({ type: 'hello', userId }) }),
    sendToUser: (self, userId, event, data) => void self.hub.sendToUser(userId, { event, data }),
  },
});
const registryTable = canonicalTable<Registry>({ ...registryMethods, registration: ['register'] });

const shim = useShimLoopback();
const { warnings } = shim;
const client = (): Promise<LoopbackClient> => shim.client();
const parsed = (c: LoopbackClient) => c.frames.map((f) => JSON.parse(f) as unknown);
const subscribed = (orderId: string) => ({ orderId, status: 'subscribed' });

function objectFacade(table: CanonicalTable<ObjectManager>) {
  const mod = objectModule();
  return { ...mod, facade: defineLegacyObject({ id: 'FLP001', symbol: 'wsManager', replacement: 'hubOperations()' }, mod.manager, { canonical: table }) };
}

describe('object manager: a flip finds every connection', () => {
  it('without registration members (the old table), a rollback loses the user connected under canonical, and a flip forward the one connected under legacy', async () => {
    const { facade } = objectFacade(objectMethods);
    const a = await client();
    facade.register('A', a.server); // canonical (default)
    shim.runtime.modes.set('FLP001', 'legacy');
    facade.notify('A', { n: 1 });
    const b = await client();
    facade.register('B', b.server); // legacy
    shim.runtime.modes.set('FLP001', 'canonical');
    facade.notify('B', { n: 2 });
    await settle();
    expect(parsed(a)).toEqual([subscribed('A')]); // {n:1} lost
    expect(parsed(b)).toEqual([subscribed('B')]); // {n:2} lost
  });

  it('registered under canonical, served after a rollback to legacy — the welcome frame once', async () => {
    const { facade, sockets } = objectFacade(objectTable);
    const a = await client();
    facade.register('A', a.server);
    expect(sockets.has('A')).toBe(true); // the legacy side recorded it
    expect(shim.hub.getUserConnections('A').size).toBe(1);
    shim.runtime.modes.set('FLP001', 'legacy');
    facade.notify('A', { n: 1 });
    await settle();
    expect(parsed(a)).toEqual([subscribed('A'), { n: 1 }]);
    expect(warnings).toEqual([]);
  });

  it('registered under legacy, served after a flip forward to canonical — the welcome frame once', async () => {
    const { facade, sockets } = objectFacade(objectTable);
    shim.runtime.modes.set('FLP001', 'legacy');
    const b = await client();
    facade.register('B', b.server);
    expect(sockets.has('B')).toBe(true);
    expect(shim.hub.getUserConnections('B').size).toBe(1); // the canonical side recorded it, muted
    await settle();
    expect(parsed(b)).toEqual([subscribed('B')]);
    shim.runtime.modes.set('FLP001', 'canonical');
    facade.notify('B', { n: 2 });
    await settle();
    expect(parsed(b)).toEqual([subscribed('B'), { n: 2 }]);
  });

  it('back and forth: canonical → legacy → canonical → legacy, every message once, and code calling the hub directly reaches the socket in every mode', async () => {
    const { facade } = objectFacade(objectTable);
    const ops = hubOperations(shim.hub);
    const a = await client();
    facade.register('A', a.server);
    const b = await client();
    shim.runtime.modes.set('FLP001', 'legacy');
    facade.register('B', b.server);
    for (const [i, mode] of (['legacy', 'canonical', 'legacy'] as const).entries()) {
      shim.runtime.modes.set('FLP001', mode);
      facade.notify('A', { i });
      facade.notify('B', { i });
      ops.sendToUser('B', { direct: i });
    }
    await settle();
    expect(parsed(a)).toEqual([subscribed('A'), { i: 0 }, { i: 1 }, { i: 2 }]);
    expect(parsed(b)).toEqual([subscribed('B'), { i: 0 }, { direct: 0 }, { i: 1 }, { direct: 1 }, { i: 2 }, { direct: 2 }]);
  });

  it('the side that does not serve never writes: legacy code sending on its own is silent under canonical and heard again after a rollback', async () => {
    const { facade, manager } = objectFacade(objectTable);
    const a = await client();
    facade.register('A', a.server);
    manager.broadcast({ timer: 1 }); // the frozen object itself, as a legacy timer would
    await settle();
    expect(parsed(a)).toEqual([subscribed('A')]);
    shim.runtime.modes.set('FLP001', 'legacy');
    manager.broadcast({ timer: 2 });
    await settle();
    expect(parsed(a)).toEqual([subscribed('A'), { timer: 2 }]);
  });

  it('a member the table leaves to legacy code (legacy) serves in canonical mode through the sockets it holds', async () => {
    const { facade } = objectFacade(objectTable);
    const a = await client();
    facade.register('A', a.server);
    facade.broadcast({ all: true });
    await settle();
    expect(parsed(a)).toEqual([subscribed('A'), { all: true }]);
  });

  it('unregistration reaches both sides: unregistered under canonical, nothing after a rollback; unregistered under legacy, nothing after a flip forward', async () => {
    const { facade, sockets } = objectFacade(objectTable);
    const a = await client();
    facade.register('A', a.server);
    facade.unregister('A');
    expect(sockets.has('A')).toBe(false);
    expect(shim.hub.getUserConnections('A').size).toBe(0);
    shim.runtime.modes.set('FLP001', 'legacy');
    facade.notify('A', { n: 1 });
    const b = await client();
    shim.runtime.modes.set('FLP001', 'canonical');
    facade.register('B', b.server);
    shim.runtime.modes.set('FLP001', 'legacy');
    facade.unregister('B');
    expect(shim.hub.getUserConnections('B').size).toBe(0);
    shim.runtime.modes.set('FLP001', 'canonical');
    facade.notify('B', { n: 2 });
    await settle();
    expect(parsed(a)).toEqual([subscribed('A')]);
    expect(parsed(b)).toEqual([subscribed('B')]);
  });

  it('unregistration by socket identity (a framework stream, `conn.socket`) finds the connection on both sides, whichever mode registered it', async () => {
    const { feed, feedTable, subs } = streamFeed(['register', 'unregister']);
    const facade = defineLegacyObject({ id: 'FLP001', symbol: 'feed', replacement: 'hubOperations()' }, feed, { canonical: feedTable });
    const a = await client();
    const b = await client();
    const connA = new Stream(a.server);
    const connB = new Stream(b.server);
    facade.register('A', connA); // canonical: the hub holds the real socket
    shim.runtime.modes.set('FLP001', 'legacy');
    facade.register('B', connB); // legacy: the hub holds a stand-in
    facade.notify('A', { n: 1 });
    facade.unregister('A', connA); // legacy serves; the muted canonical side finds the real socket
    expect(shim.hub.getUserConnections('A').size).toBe(0);
    shim.runtime.modes.set('FLP001', 'canonical');
    facade.notify('B', { n: 2 });
    facade.unregister('B', connB); // canonical serves, finding its stand-in; the legacy side forgets it too
    expect(shim.hub.getUserConnections('B').size).toBe(0);
    expect(subs.get('B')?.size).toBe(0);
    facade.notify('A', { n: 3 });
    shim.runtime.modes.set('FLP001', 'legacy');
    facade.notify('B', { n: 4 });
    await settle();
    expect(parsed(a)).toEqual([{ n: 1 }]);
    expect(parsed(b)).toEqual([{ n: 2 }]);
  });

  it('a `close` listener the legacy side adds while not serving still runs: a client that left is forgotten there', async () => {
    const { facade, sockets } = objectFacade(objectTable);
    const a = await client();
    facade.register('A', a.server);
    expect(sockets.has('A')).toBe(true);
    a.close();
    await new Promise<void>((r) => a.server.once('close', () => r()));
    expect(sockets.has('A')).toBe(false);
  });

  it('shadow keeps its comparison (no mismatch, nothing twice) and a flip forward from shadow finds the connection on the hub', async () => {
    const { facade } = objectFacade(objectTable);
    shim.runtime.modes.set('FLP001', 'shadow');
    const a = await client();
    facade.register('A', a.server);
    facade.notify('A', { n: 1 });
    expect(shim.hub.getUserConnections('A').size).toBe(1);
    shim.runtime.modes.set('FLP001', 'canonical');
    facade.notify('A', { n: 2 });
    await settle();
    expect(parsed(a)).toEqual([subscribed('A'), { n: 1 }, { n: 2 }]);
    expect(shim.runtime.shadow.calls).toBe(2);
    expect(shim.runtime.shadow.mismatches()).toEqual([]);
  });

  it('strict: throws before either side registers anything', async () => {
    const { facade, sockets } = objectFacade(objectTable);
    shim.runtime.modes.set('FLP001', 'strict');
    const a = await client();
    expect(() => facade.register('A', a.server)).toThrow(DeprecatedApiError);
    expect(sockets.size).toBe(0);
    expect(shim.hub.getUserConnections('A').size).toBe(0);
  });

  it('a failing registration on the side that does not serve is reported, never thrown at the caller', async () => {
    const { manager } = objectModule();
    const broken: ObjectManager = {
      ...manager,
      register(): void {
        throw new Error('legacy register broke');
      },
    };
    const facade = defineLegacyObject({ id: 'FLP001', symbol: 'wsManager', replacement: 'hubOperations()' }, broken, { canonical: objectTable });
    const a = await client();
    facade.register('A', a.server);
    await new Promise((r) => setImmediate(r));
    expect(shim.hub.getUserConnections('A').size).toBe(1);
    expect(warnings.some((w) => w.startsWith('SsotShimRegistrationWarning') && w.includes('legacy register broke'))).toBe(true);
  });
});

function instanceFacade(table: CanonicalTable<Registry>) {
  const frozen = new Registry();
  return { frozen, inst: defineLegacyInstance({ id: 'FLP002', symbol: 'registry', replacement: 'hubOperations()' }, frozen, { canonical: table }) };
}

describe('exported class instance: a flip finds every connection', () => {
  it('without registration members, a rollback loses the user connected under canonical', async () => {
    const { inst } = instanceFacade(registryMethods);
    const a = await client();
    inst.register('A', a.server);
    shim.runtime.modes.set('FLP002', 'legacy');
    inst.sendToUser('A', 'ev', 1);
    await settle();
    expect(parsed(a)).toEqual([{ type: 'hello', userId: 'A' }]);
  });

  it('registered under canonical, served after a rollback; registered under legacy, served after a flip forward — each greeting once', async () => {
    const { inst, frozen } = instanceFacade(registryTable);
    const a = await client();
    inst.register('A', a.server);
    shim.runtime.modes.set('FLP002', 'legacy');
    const b = await client();
    inst.register('B', b.server);
    expect(frozen.sockets.size).toBe(2);
    expect(hubOperations(shim.hub).listConnectedUsers().sort()).toEqual(['A', 'B']);
    inst.sendToUser('A', 'rollback', 1);
    shim.runtime.modes.set('FLP002', 'canonical');
    inst.sendToUser('B', 'forward', 2);
    await settle();
    expect(parsed(a)).toEqual([{ type: 'hello', userId: 'A' }, { event: 'rollback', data: 1 }]);
    expect(parsed(b)).toEqual([{ type: 'hello', userId: 'B' }, { event: 'forward', data: 2 }]);
    expect(inst.register).toBe(inst.register);
  });

  it('shadow (legacy primary) registers on the hub too, muted: no mismatch, nothing twice, and canonical serves after the flip', async () => {
    const { inst } = instanceFacade(registryTable);
    shim.runtime.modes.set('FLP002', 'shadow');
    const a = await client();
    inst.register('A', a.server);
    inst.sendToUser('A', 'ev', 1);
    shim.runtime.modes.set('FLP002', 'canonical');
    inst.sendToUser('A', 'ev', 2);
    await settle();
    expect(parsed(a)).toEqual([{ type: 'hello', userId: 'A' }, { event: 'ev', data: 1 }, { event: 'ev', data: 2 }]);
    expect(shim.runtime.shadow.mismatches()).toEqual([]);
  });
});

/** A module of free functions over a module-level Map; addClient greets. */
function functionsModule() {
  const clients = new Map<string, Sock>();
  return {
    clients,
    addClient(userId: string, ws: Sock): void {
      clients.set(userId, ws);
      ws.send(JSON.stringify({ type: 'welcome' }));
    },
    sendToUser(userId: string, msg: Record<string, unknown>): void {
      clients.get(userId)?.send(JSON.stringify(msg));
    },
  };
}

describe('free functions over module state: a flip finds every connection', () => {
  function facades(registration: boolean) {
    const mod = functionsModule();
    const spec = (symbol: string) => ({ id: 'FLP003', symbol, replacement: 'hubOperations()' });
    return {
      mod,
      addClient: defineLegacyFreeFunction(spec('addClient'), mod.addClient, {
        canonical: (self, userId, ws) => void self.hub.connect(userId, ws, { greeting: () => ({ type: 'welcome' }) }),
        ...(registration ? { registration: true } : {}),
      }),
      sendToUser: defineLegacyFreeFunction(spec('sendToUser'), mod.sendToUser, { canonical: (self, userId, msg) => void self.hub.sendToUser(userId, msg) }),
    };
  }

  it('without registration, a rollback loses the user connected under canonical', async () => {
    const { addClient, sendToUser } = facades(false);
    const a = await client();
    addClient('A', a.server);
    shim.runtime.modes.set('FLP003', 'legacy');
    sendToUser('A', { n: 1 });
    await settle();
    expect(parsed(a)).toEqual([{ type: 'welcome' }]);
  });

  it('with registration: canonical → legacy and legacy → canonical both serve, each welcome once', async () => {
    const { addClient, sendToUser, mod } = facades(true);
    const a = await client();
    addClient('A', a.server);
    shim.runtime.modes.set('FLP003', 'legacy');
    const b = await client();
    addClient('B', b.server);
    expect([...mod.clients.keys()]).toEqual(['A', 'B']);
    sendToUser('A', { rollback: 1 });
    shim.runtime.modes.set('FLP003', 'canonical');
    sendToUser('B', { forward: 2 });
    await settle();
    expect(parsed(a)).toEqual([{ type: 'welcome' }, { rollback: 1 }]);
    expect(parsed(b)).toEqual([{ type: 'welcome' }, { forward: 2 }]);
  });
});
