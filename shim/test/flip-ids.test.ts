/**
 * A registration member that returns a connection id (`attach(userId, socket)` → id) runs on both
 * sides, and each side makes its own id. The caller keeps the serving side's id; an unregistration
 * by it (`detach(id)`), or a send by it, must reach the connection on both sides — also after a
 * flip made the other side serve (connection-ids.ts). Real `ws` sockets on loopback, three shapes:
 *  - examples/relay-backend's RealtimeHub through the class alias (follow.ts): string ids on both
 *    sides (`conn_…` from the legacy hub, the canonical hub's own), `detach` templated as the manifest
 *    has it (`$hub.disconnect($1)`), so both members are registration members;
 *  - an object manager over a module `Map` keyed by a counter (numeric legacy ids, string canonical
 *    ones) with a `sendTo(id, payload)` that is not a registration member;
 *  - the same module as free functions.
 */
import { describe, expect, it } from 'vitest';
import { hubOperations } from '../../canonical/index.js';
import { ConnectionIds } from '../proxies/connection-ids.js';
import { defineLegacyFreeFunction } from '../proxies/free-function.js';
import { defineLegacyManagerAlias } from '../proxies/manager.js';
import { defineLegacyObject } from '../proxies/object.js';
import { canonicalTable } from '../proxies/templated.js';
import { settle, useShimLoopback, type LoopbackClient } from './loopback.js';
import * as relay from '../../examples/relay-backend/src/realtime/hub.js';

/** RealtimeHub's table as strangle writes it from examples/relay-backend/ssot.config.json (attach and detach call the hub's connect/disconnect). */
const relayTable = canonicalTable<relay.RealtimeHub>({
  methods: {
    attach: (self, a1, a2) => self.hub.connect(a1, a2, { greeting: (connectionId) => ({ type: 'hello', connectionId }) }),
    detach: (self, a1) => self.hub.disconnect(a1),
    publishToUser: (self, a1, a2) => self.hub.sendToUser(a1, a2),
    connectionCount: (self, a1) => self.hub.connectionCount(a1),
    isOnline: (self, a1) => self.hub.isOnline(a1),
  },
  legacy: ['bindScope', 'currentScope', 'health', 'setMode', 'broadcastAll', 'listConnectedUsers'],
  registration: ['attach', 'detach'],
});

interface Sock {
  send(d: string): void;
}

/** A module of connections keyed by a counter: register returns the number, sendTo and unregister take it. */
function counterModule() {
  const sockets = new Map<number, Sock>();
  let next = 1;
  const register = (userId: string, socket: Sock): number => {
    const id = next++;
    sockets.set(id, socket);
    socket.send(JSON.stringify({ type: 'welcome', id, userId, via: 'legacy' }));
    return id;
  };
  const unregister = (id: number): boolean => sockets.delete(id);
  const sendTo = (id: number, payload: Record<string, unknown>): boolean => {
    const s = sockets.get(id);
    s?.send(JSON.stringify({ ...payload, via: 'legacy' }));
    return s !== undefined;
  };
  return { sockets, manager: { register, unregister, sendTo }, register, unregister, sendTo };
}
type CounterManager = ReturnType<typeof counterModule>['manager'];

/** What its templates do on the hub; canonical's connection ids are strings, so the facade's declared number is the legacy one. */
const counterTemplates = {
  register: (self: { hub: ReturnType<typeof hubOperations> }, userId: string, socket: Sock): number =>
    self.hub.connect(userId, socket as never, { greeting: (id) => ({ type: 'welcome', id, userId, via: 'canonical' }) }) as unknown as number,
  unregister: (self: { hub: ReturnType<typeof hubOperations> }, id: number): boolean => self.hub.disconnect(id as unknown as string),
  sendTo: (self: { hub: ReturnType<typeof hubOperations> }, id: number, payload: Record<string, unknown>): boolean => {
    const c = self.hub.hub.getConnection(id as unknown as string);
    c?.socket.send(JSON.stringify({ ...payload, via: 'canonical' }));
    return c !== undefined;
  },
};
const counterTable = canonicalTable<CounterManager>({ methods: counterTemplates, registration: ['register', 'unregister'] });

const shim = useShimLoopback();
const { warnings } = shim;
const client = (): Promise<LoopbackClient> => shim.client();
/** Until `n` frames arrived (bounded: a loaded machine can take longer than settle's 50 ms), then settle for any extra one. */
const arrived = async (c: LoopbackClient, n: number) => {
  for (const deadline = Date.now() + 5000; c.frames.length < n && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
  await settle();
};
const parsed = (c: LoopbackClient) => c.frames.map((f) => JSON.parse(f) as Record<string, unknown>);
const spec = (id: string, symbol: string) => ({ id, symbol, replacement: 'hubOperations()' });

describe('an id a registration returned reaches both sides (RealtimeHub through the class alias)', () => {
  const Hub = () => defineLegacyManagerAlias(spec('FID001', 'RealtimeHub'), relay.RealtimeHub, { canonical: relayTable });
  /** The connection count on each side: the hub's and the frozen RealtimeHub's own (read under legacy). */
  const counts = (realtime: relay.RealtimeHub, user: string) => {
    const mode = shim.runtime.modes.get('FID001');
    shim.runtime.modes.set('FID001', 'legacy');
    const legacy = realtime.connectionCount(user);
    shim.runtime.modes.set('FID001', mode);
    return { canonical: hubOperations(shim.hub).connectionCount(user), legacy };
  };

  it('attached under canonical, detached after a rollback: the legacy side finds its own connection by the canonical id, nothing leaks', async () => {
    const realtime = new (Hub())();
    const a = await client();
    const id = realtime.attach('A', a.server);
    expect(shim.hub.getConnection(id)).toBeDefined(); // the caller holds canonical's id
    expect(counts(realtime, 'A')).toEqual({ canonical: 1, legacy: 1 });
    shim.runtime.modes.set('FID001', 'legacy');
    expect(realtime.detach(id)).toBe(true); // the frozen RealtimeHub, handed its own conn_… id
    expect(counts(realtime, 'A')).toEqual({ canonical: 0, legacy: 0 });
    expect(realtime.publishToUser('A', { type: 'after-detach' })).toBe(0);
    shim.runtime.modes.set('FID001', 'canonical');
    realtime.publishToUser('A', { type: 'after-detach' });
    await settle();
    expect(parsed(a).map((f) => f['type'])).toEqual(['hello']);
    expect(warnings).toEqual([]);
  });

  it('attached under legacy, detached after a flip forward: the hub finds its connection by the legacy id', async () => {
    shim.runtime.modes.set('FID001', 'legacy');
    const realtime = new (Hub())();
    const b = await client();
    const id = realtime.attach('B', b.server);
    expect(id).toMatch(/^conn_/); // the frozen RealtimeHub's id
    expect(counts(realtime, 'B')).toEqual({ canonical: 1, legacy: 1 });
    shim.runtime.modes.set('FID001', 'canonical');
    expect(realtime.detach(id)).toBe(true); // canonical's disconnect, handed the hub's id
    expect(counts(realtime, 'B')).toEqual({ canonical: 0, legacy: 0 });
    shim.runtime.modes.set('FID001', 'legacy');
    expect(realtime.publishToUser('B', { type: 'after-detach' })).toBe(0);
    await settle();
    expect(parsed(b).map((f) => f['type'])).toEqual(['hello']);
    expect(warnings).toEqual([]);
  });

  it('detached in the mode it was attached in: both sides forget it; the id is forgotten too (a second detach is false on both)', async () => {
    const realtime = new (Hub())();
    const a = await client();
    const id = realtime.attach('A', a.server);
    expect(realtime.detach(id)).toBe(true);
    expect(counts(realtime, 'A')).toEqual({ canonical: 0, legacy: 0 });
    expect(realtime.detach(id)).toBe(false);
    shim.runtime.modes.set('FID001', 'legacy');
    expect(realtime.detach(id)).toBe(false);
  });

  it('two managers keep their ids apart; the other connection stays served on both sides', async () => {
    const H = Hub();
    const one = new H();
    const two = new H();
    const a = await client();
    const b = await client();
    const idA = one.attach('A', a.server);
    two.attach('B', b.server);
    shim.runtime.modes.set('FID001', 'legacy');
    expect(two.detach(idA)).toBe(false); // not two's connection
    one.detach(idA);
    expect(two.publishToUser('B', { type: 'still' })).toBe(1);
    shim.runtime.modes.set('FID001', 'canonical');
    two.publishToUser('B', { type: 'still' });
    await settle();
    expect(parsed(b).map((f) => f['type'])).toEqual(['hello', 'still', 'still']);
    expect(parsed(a).map((f) => f['type'])).toEqual(['hello']);
  });
});

describe('numeric legacy ids, string canonical ids: an object manager and free functions', () => {
  const shapes = {
    'an object manager': () => {
      const mod = counterModule();
      return { mod, api: defineLegacyObject(spec('FID002', 'connections'), mod.manager, { canonical: counterTable }) };
    },
    'free functions': () => {
      const mod = counterModule();
      const s = (name: string) => spec('FID002', `connections.${name}`);
      const api: CounterManager = {
        register: defineLegacyFreeFunction(s('register'), mod.register, { canonical: counterTemplates.register as never, registration: true }),
        unregister: defineLegacyFreeFunction(s('unregister'), mod.unregister, { canonical: counterTemplates.unregister as never, registration: true }),
        sendTo: defineLegacyFreeFunction(s('sendTo'), mod.sendTo, { canonical: counterTemplates.sendTo as never }),
      };
      return { mod, api };
    },
  };

  for (const [shape, make] of Object.entries(shapes)) {
    describe(shape, () => {
      it('registered under legacy (a number): after a flip forward a send and the unregistration by that number reach the hub', async () => {
        const { mod, api } = make();
        shim.runtime.modes.set('FID002', 'legacy');
        const a = await client();
        const id = api.register('A', a.server);
        expect(typeof id).toBe('number');
        shim.runtime.modes.set('FID002', 'canonical');
        expect(api.sendTo(id, { type: 'direct', n: 1 })).toBe(true); // canonical looks its own id up
        expect(api.unregister(id)).toBe(true);
        expect(shim.hub.getUserConnections('A').size).toBe(0);
        expect(mod.sockets.size).toBe(0);
        expect(api.sendTo(id, { type: 'direct', n: 2 })).toBe(false);
        await arrived(a, 2);
        expect(parsed(a)).toEqual([
          { type: 'welcome', id, userId: 'A', via: 'legacy' },
          { type: 'direct', n: 1, via: 'canonical' },
        ]);
        expect(warnings).toEqual([]);
      });

      it('registered under canonical (a string): after a rollback a send and the unregistration by that string reach the legacy Map', async () => {
        const { mod, api } = make();
        const a = await client();
        const id = api.register('A', a.server);
        expect(typeof id).toBe('string');
        shim.runtime.modes.set('FID002', 'legacy');
        expect(api.sendTo(id, { type: 'direct', n: 1 })).toBe(true);
        expect(api.unregister(id)).toBe(true);
        expect(mod.sockets.size).toBe(0);
        expect(shim.hub.getUserConnections('A').size).toBe(0);
        shim.runtime.modes.set('FID002', 'canonical');
        expect(api.sendTo(id, { type: 'direct', n: 2 })).toBe(false);
        await arrived(a, 2);
        expect(parsed(a).map((f) => `${String(f['type'])}:${String(f['via'])}`)).toEqual(['welcome:canonical', 'direct:legacy']);
        expect(warnings).toEqual([]);
      });
    });
  }
});

describe('a pair lives as long as its connection', () => {
  it('forgotten once the socket it registered closed — after the close listeners, so an app that detaches in its own listener is still translated', async () => {
    const ids = new ConnectionIds();
    const a = await client();
    ids.settle('canonical', ['A', a.server], 'c_1', 'conn_1');
    let inListener: readonly unknown[] = [];
    a.server.on('close', () => void (inListener = ids.translate('legacy', ['c_1'])));
    expect(ids.translate('legacy', ['c_1', 'x'])).toEqual(['conn_1', 'x']);
    a.close();
    await settle();
    expect(inListener).toEqual(['conn_1']);
    expect(ids.size).toBe(0);
    expect(ids.translate('legacy', ['c_1'])).toEqual(['c_1']);
  });
});
