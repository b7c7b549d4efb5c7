/**
 * A registration runs on the side that does not serve too (dual.ts), and that side must write
 * nothing to the client: the legacy side serves and sent its own welcome. These cases went through
 * before (a second welcome): a canonical template that writes after an `await` (an async
 * registration), and one whose `$hub.sendToUser` goes over the Redis bus (published, delivered later
 * from the subscription, to this process's socket and to the user's sockets on other processes).
 * Real `ws` sockets on loopback, a real redis-server; an object manager, a class alias and free
 * functions.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConnectionHub, hubOperations } from '../../canonical/index.js';
import type { ConnectionHub } from '../../canonical/index.js';
import { RedisBus } from '../../canonical/bus/redis.js';
import { startRedisServer, type RedisServerHandle } from '../../test/helpers/redis-server.js';
import { defineLegacyFreeFunction } from '../proxies/free-function.js';
import { defineLegacyManagerAlias } from '../proxies/manager.js';
import { defineLegacyObject } from '../proxies/object.js';
import { canonicalTable } from '../proxies/templated.js';
import type { ShimRuntime } from '../runtime.js';
import { closeShimLoopback, openShimLoopback, settle, type Loopback, type LoopbackClient } from './loopback.js';

interface Sock {
  send(d: string): void;
}

/** Legacy connections by user: register welcomes the socket. */
function legacyModule() {
  const sockets = new Map<string, Sock>();
  const manager = {
    register(userId: string, socket: Sock): void {
      sockets.set(userId, socket);
      socket.send(JSON.stringify({ type: 'welcome', via: 'legacy' }));
    },
    notify(userId: string, payload: Record<string, unknown>): void {
      sockets.get(userId)?.send(JSON.stringify({ ...payload, via: 'legacy' }));
    },
  };
  return { sockets, manager };
}
type Manager = ReturnType<typeof legacyModule>['manager'];
class Greeter {
  private readonly sockets = new Map<string, Sock>();
  register(userId: string, socket: Sock): void {
    this.sockets.set(userId, socket);
    socket.send(JSON.stringify({ type: 'welcome', via: 'legacy' }));
  }
  notify(userId: string, payload: Record<string, unknown>): void {
    this.sockets.get(userId)?.send(JSON.stringify({ ...payload, via: 'legacy' }));
  }
}

const tick = () => new Promise((r) => setTimeout(r, 5));
/** Async registrations: the greeting after an await, through connect's greeting or through `$hub.sendToUser`. */
const greetingAfterAwait = {
  register: async (self: { hub: ReturnType<typeof hubOperations> }, userId: string, socket: Sock): Promise<void> => {
    await tick();
    self.hub.connect(userId, socket as never, { greeting: () => ({ type: 'welcome', via: 'canonical' }) });
  },
  notify: (self: { hub: ReturnType<typeof hubOperations> }, userId: string, payload: Record<string, unknown>): void => void self.hub.sendToUser(userId, { ...payload, via: 'canonical' }),
};
const sendAfterAwait = {
  ...greetingAfterAwait,
  register: async (self: { hub: ReturnType<typeof hubOperations> }, userId: string, socket: Sock): Promise<void> => {
    await tick();
    self.hub.connect(userId, socket as never);
    await tick();
    self.hub.sendToUser(userId, { type: 'welcome', via: 'canonical' });
  },
};

let hub: ConnectionHub;
let runtime: ShimRuntime;
let loop: Loopback;
const open: LoopbackClient[] = [];

beforeEach(async () => {
  ({ runtime, hub, loop } = await openShimLoopback());
});
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await closeShimLoopback({ runtime, hub, loop });
});
const client = async () => {
  const c = await loop.client();
  open.push(c);
  return c;
};
const parsed = (c: LoopbackClient) => c.frames.map((f) => JSON.parse(f) as Record<string, unknown>);
const spec = (id: string, symbol: string) => ({ id, symbol, replacement: 'hubOperations()' });

describe('an async canonical registration run while legacy serves writes nothing, also after its await', () => {
  it('an object manager: the greeting connect writes after an await is withheld; after a flip forward the socket is served', async () => {
    const { manager } = legacyModule();
    const facade = defineLegacyObject(spec('FMU001', 'greeter'), manager, { canonical: canonicalTable<Manager>({ methods: greetingAfterAwait as never, registration: ['register'] }) });
    runtime.modes.set('FMU001', 'legacy');
    const a = await client();
    facade.register('A', a.server);
    await tick();
    await tick(); // the muted registration connected by now
    expect(hubOperations(hub).isOnline('A')).toBe(true);
    runtime.modes.set('FMU001', 'canonical');
    facade.notify('A', { type: 'forward' });
    await settle();
    expect(parsed(a)).toEqual([
      { type: 'welcome', via: 'legacy' },
      { type: 'forward', via: 'canonical' },
    ]);
  });

  it('a class alias (a manager made at boot): `$hub.sendToUser` after an await in the muted call sends nothing; the hub still serves after the flip', async () => {
    const G = defineLegacyManagerAlias(spec('FMU002', 'Greeter'), Greeter, { canonical: canonicalTable<Greeter>({ methods: sendAfterAwait as never, registration: ['register'] }) });
    const greeter = new G();
    runtime.modes.set('FMU002', 'legacy');
    const a = await client();
    greeter.register('A', a.server);
    await settle();
    expect(hubOperations(hub).isOnline('A')).toBe(true);
    runtime.modes.set('FMU002', 'canonical');
    greeter.notify('A', { type: 'forward' });
    await settle();
    expect(parsed(a)).toEqual([
      { type: 'welcome', via: 'legacy' },
      { type: 'forward', via: 'canonical' },
    ]);
  });

  it('the legacy side of an async registration run while canonical serves writes nothing after its await either (its stand-in reads the mode at each send)', async () => {
    class Slow extends Greeter {
      override register(userId: string, socket: Sock): void {
        void tick().then(() => super.register(userId, socket));
      }
    }
    const table = canonicalTable<Slow>({
      methods: { register: (self, u, s) => void self.hub.connect(u, s as never, { greeting: () => ({ type: 'welcome', via: 'canonical' }) }), notify: greetingAfterAwait.notify },
      registration: ['register'],
    });
    const S = defineLegacyManagerAlias(spec('FMU003', 'Slow'), Slow, { canonical: table });
    const slow = new S();
    const a = await client();
    slow.register('A', a.server);
    await settle();
    runtime.modes.set('FMU003', 'legacy');
    slow.notify('A', { type: 'rollback' });
    await settle();
    expect(parsed(a)).toEqual([
      { type: 'welcome', via: 'canonical' },
      { type: 'rollback', via: 'legacy' },
    ]);
  });
});

describe('with the Redis bus: a muted registration publishes nothing', () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  it('free functions: the welcome the template sends is neither written here nor delivered to the user on another instance', async () => {
    const keyPrefix = `fmu${process.pid}:`;
    const buses = [new RedisBus({ url: redis.url, keyPrefix }), new RedisBus({ url: redis.url, keyPrefix })];
    const here = createConnectionHub({ bus: buses[0]! });
    const there = createConnectionHub({ bus: buses[1]! });
    try {
      const { manager } = legacyModule();
      const s = (name: string) => spec('FMU004', `conn.${name}`);
      const register = defineLegacyFreeFunction(s('register'), manager.register, {
        canonical: (self, userId, socket) => {
          self.hub.connect(userId, socket as never);
          void self.hub.sendToUser(userId, { type: 'welcome', via: 'canonical' });
        },
        registration: true,
        hub: here,
      });
      const notify = defineLegacyFreeFunction(s('notify'), manager.notify, { canonical: (self, userId, payload) => void self.hub.sendToUser(userId, { ...payload, via: 'canonical' }), hub: here });
      const other = await client(); // the same user's tab on another instance
      hubOperations(there).connect('A', other.server);
      const a = await client();
      runtime.modes.set('FMU004', 'legacy');
      register('A', a.server);
      await new Promise((r) => setTimeout(r, 300)); // a publish would be delivered by now
      runtime.modes.set('FMU004', 'canonical');
      notify('A', { type: 'forward' });
      const deadline = Date.now() + 5000;
      while ((a.frames.length < 2 || other.frames.length < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await settle();
      expect(parsed(a)).toEqual([
        { type: 'welcome', via: 'legacy' },
        { type: 'forward', via: 'canonical' },
      ]);
      expect(parsed(other)).toEqual([{ type: 'forward', via: 'canonical' }]);
    } finally {
      await here.close();
      await there.close();
      for (const b of buses) await b.close();
    }
  });
});
