/**
 * A registration runs on the side that does not serve too (dual.ts), and that side must write
 * nothing to the client: the legacy side serves and sent its own welcome. These cases went through
 * before (a second welcome): a canonical template that writes after an `await` (an async
 * registration), and one whose `$hub.sendToUser` goes over the Redis bus (published, delivered later
 * from the subscription, to this process's socket and to the user's sockets on other processes).
 * Real `ws` sockets on loopback, a real redis-server; an object manager, a class alias and free
 * functions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionHub, hubOperations } from '../../canonical/index.js';
import type { ConnectionHub } from '../../canonical/index.js';
import { RedisBus } from '../../canonical/bus/redis.js';
import { startRedisServer, type RedisServerHandle } from '../../test/helpers/redis-server.js';
import { defineLegacyFreeFunction } from '../proxies/free-function.js';
import type { FreeFunctionTemplate } from '../proxies/free-function.js';
import { defineLegacyManagerAlias } from '../proxies/manager.js';
import { defineLegacyObject } from '../proxies/object.js';
import { canonicalTable } from '../proxies/templated.js';
import * as relay from '../../examples/relay-backend/src/realtime/hub.js';
import * as unified from '../../examples/legacy-app/src/websocket_core/unified_manager.js';
import { canonicalUnifiedWebSocketManager } from './__fixtures__/facades/unified_manager_table.js';
import { settle, useShimLoopback, type LoopbackClient } from './loopback.js';

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

const shim = useShimLoopback();
const client = (): Promise<LoopbackClient> => shim.client();
const parsed = (c: LoopbackClient) => c.frames.map((f) => JSON.parse(f) as Record<string, unknown>);
const spec = (id: string, symbol: string) => ({ id, symbol, replacement: 'hubOperations()' });

describe('an async canonical registration run while legacy serves writes nothing, also after its await', () => {
  it('an object manager: the greeting connect writes after an await is withheld; after a flip forward the socket is served', async () => {
    const { manager } = legacyModule();
    const facade = defineLegacyObject(spec('FMU001', 'greeter'), manager, { canonical: canonicalTable<Manager>({ methods: greetingAfterAwait as never, registration: ['register'] }) });
    shim.runtime.modes.set('FMU001', 'legacy');
    const a = await client();
    facade.register('A', a.server);
    await tick();
    await tick(); // the muted registration connected by now
    expect(hubOperations(shim.hub).isOnline('A')).toBe(true);
    shim.runtime.modes.set('FMU001', 'canonical');
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
    shim.runtime.modes.set('FMU002', 'legacy');
    const a = await client();
    greeter.register('A', a.server);
    await settle();
    expect(hubOperations(shim.hub).isOnline('A')).toBe(true);
    shim.runtime.modes.set('FMU002', 'canonical');
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
    shim.runtime.modes.set('FMU003', 'legacy');
    slow.notify('A', { type: 'rollback' });
    await settle();
    expect(parsed(a)).toEqual([
      { type: 'welcome', via: 'canonical' },
      { type: 'rollback', via: 'legacy' },
    ]);
  });
});

/**
 * A template that greets through the canonical managers `$user(x)` / `$run(x)` or the hub itself
 * (`$hub.hub`, its bus) rather than `$hub`: what it sends while muted is a second copy too. These
 * reached a client before: the user's other socket the hub holds as itself (registered while
 * canonical served), a send made after the call settled, and everything over the Redis bus.
 */
describe('a muted registration sends nothing through any canonical handle it is given', () => {
  type Self = Parameters<NonNullable<NonNullable<ReturnType<typeof canonicalTable<Manager>>['methods']>['register']>>[0];
  /** Greets through each handle in turn, across awaits, then once more after the call has returned. */
  const everyHandle = {
    register: async (self: Self, userId: string, socket: Sock): Promise<void> => {
      const id = self.hub.connect(userId, socket as never);
      await tick();
      await self.user(userId).sendToUser(userId, { type: 'welcome', via: '$user' });
      await self.run({ userId, threadId: 't1', runId: `r_${id}` }).emit('agent_started', { agentName: 'greeter' });
      self.run({ userId, threadId: 't1', runId: `r_${id}` }).emitNow('agent_thinking', { reasoning: 'x' });
      await self.emit(userId, 'welcome', { via: '$self.emit' });
      self.hub.hub.sendFrameTo(id, { type: 'welcome', via: '$hub.hub.sendFrameTo' });
      await self.hub.hub.sendToUser(userId, { type: 'welcome', via: '$hub.hub.sendToUser' });
      await self.hub.hub.bus.publishToUser(userId, { type: 'welcome', via: '$hub.hub.bus' });
      // after the call settled (a timer the registration started)
      setTimeout(() => void self.user(userId).sendToUser(userId, { type: 'welcome', via: 'later' }), 20);
    },
    notify: (self: Self, userId: string, payload: Record<string, unknown>): void => void self.user(userId).sendToUser(userId, { ...payload, via: 'canonical' }),
  };

  it('an object manager: the user\'s tab registered under canonical and the new tab get only the legacy frames; after a flip forward both are served', async () => {
    const { manager } = legacyModule();
    const facade = defineLegacyObject(spec('FMU005', 'greeter'), manager, { canonical: canonicalTable<Manager>({ methods: everyHandle as never, registration: ['register'] }) });
    const first = await client();
    facade.register('A', first.server); // canonical serves: the hub holds this socket as itself
    await new Promise((r) => setTimeout(r, 100));
    const greeted = parsed(first).length;
    expect(greeted).toBeGreaterThan(0);
    shim.runtime.modes.set('FMU005', 'legacy');
    const second = await client();
    facade.register('A', second.server);
    await new Promise((r) => setTimeout(r, 150)); // the muted call settled and its timer fired
    await settle();
    expect(parsed(first).slice(greeted)).toEqual([]);
    expect(parsed(second)).toEqual([{ type: 'welcome', via: 'legacy' }]);
    shim.runtime.modes.set('FMU005', 'canonical');
    facade.notify('A', { type: 'forward' });
    await settle();
    expect(parsed(first).slice(greeted)).toEqual([{ type: 'forward', via: 'canonical' }]);
    expect(parsed(second)).toEqual([{ type: 'welcome', via: 'legacy' }, { type: 'forward', via: 'canonical' }]);
  });

  it('examples/legacy-app: UnifiedWebSocketManager.connectUser greeting through $user(x) after its await, rolled back to legacy, reaches neither tab', async () => {
    const table = canonicalTable<unified.UnifiedWebSocketManager>({
      ...canonicalUnifiedWebSocketManager,
      methods: {
        ...canonicalUnifiedWebSocketManager.methods,
        // the manifest's connectUser, plus a greeting a team might write: through the user's manager, after the registration's await
        connectUser: (self, a1, a2, a3) =>
          self
            .user(a1)
            .addConnection({ connectionId: a3 ?? `conn_${Math.random().toString(36).slice(2, 10)}`, userId: a1, socket: a2, connectedAt: new Date() })
            .then(() => self.user(a1).sendToUser(a1, { type: 'connected' }))
            .then(() => a3 ?? ''),
      },
      registration: ['addConnection', 'removeConnection', 'connectUser', 'disconnectUser', 'shutdown'],
    });
    const Manager = defineLegacyManagerAlias(spec('FMU006', 'UnifiedWebSocketManager'), unified.UnifiedWebSocketManager, { canonical: table });
    const manager = new Manager(unified.WebSocketManagerMode.UNIFIED);
    const first = await client();
    await manager.connectUser('A', first.server, 'c_1');
    await settle();
    expect(parsed(first)).toEqual([{ type: 'connected' }]);
    shim.runtime.modes.set('FMU006', 'legacy'); // ROLLBACK
    const second = await client();
    await manager.connectUser('A', second.server, 'c_2');
    await new Promise((r) => setTimeout(r, 100));
    await manager.sendToUser('A', { type: 'rollback' });
    await settle();
    expect(parsed(first)).toEqual([{ type: 'connected' }, { type: 'rollback' }]);
    expect(parsed(second)).toEqual([{ type: 'rollback' }]);
    shim.runtime.modes.set('FMU006', 'canonical');
    await manager.sendToUser('A', { type: 'forward' });
    await settle();
    expect(parsed(second)).toEqual([{ type: 'rollback' }, { type: 'forward' }]);
  });

  it('examples/relay-backend: RealtimeHub.attach saying hello through $user(x), under legacy, writes one hello (legacy\'s) and none to the user\'s other tab', async () => {
    const table = canonicalTable<relay.RealtimeHub>({
      methods: {
        attach: (self, a1, a2) => {
          const connectionId = self.hub.connect(a1, a2);
          void self.user(a1).sendToUser(a1, { type: 'hello', connectionId });
          return connectionId;
        },
        detach: (self, a1) => self.hub.disconnect(a1),
        publishToUser: (self, a1, a2) => self.hub.sendToUser(a1, a2),
      },
      legacy: ['bindScope', 'currentScope', 'health', 'setMode', 'broadcastAll', 'listConnectedUsers', 'connectionCount', 'isOnline'],
      registration: ['attach', 'detach'],
    });
    const Hub = defineLegacyManagerAlias(spec('FMU007', 'RealtimeHub'), relay.RealtimeHub, { canonical: table });
    const realtime = new Hub();
    const first = await client();
    const firstId = realtime.attach('A', first.server as never);
    await settle();
    expect(parsed(first)).toEqual([{ type: 'hello', connectionId: firstId }]);
    shim.runtime.modes.set('FMU007', 'legacy');
    const second = await client();
    const secondId = realtime.attach('A', second.server as never);
    await settle();
    expect(parsed(first)).toEqual([{ type: 'hello', connectionId: firstId }]);
    expect(parsed(second)).toEqual([{ type: 'hello', connectionId: secondId }]);
    realtime.publishToUser('A', { type: 'rollback' });
    shim.runtime.modes.set('FMU007', 'canonical');
    realtime.publishToUser('A', { type: 'forward' });
    await settle();
    expect(parsed(first).map((f) => f['type'])).toEqual(['hello', 'rollback', 'forward']);
    expect(parsed(second).map((f) => f['type'])).toEqual(['hello', 'rollback', 'forward']);
  });
});


type Legacy = ReturnType<typeof legacyModule>['manager'];

describe('with the Redis bus: a muted registration publishes nothing', () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  /**
   * Free functions over two hubs on one redis-server: `register` runs while legacy serves (its
   * canonical template muted), then a flip forward and a `notify`. Neither this socket nor the
   * user's tab on the other instance may get a frame of the muted template. `after` looks at this
   * instance's hub before it closes.
   */
  async function mutedOverRedis(
    id: string,
    register: FreeFunctionTemplate<Legacy['register']>,
    notifyTemplate: FreeFunctionTemplate<Legacy['notify']>,
    after?: (here: ConnectionHub) => void): Promise<void> {
    const keyPrefix = `${id.toLowerCase()}${process.pid}:`;
    const buses = [new RedisBus({ url: redis.url, keyPrefix }), new RedisBus({ url: redis.url, keyPrefix })];
    const here = createConnectionHub({ bus: buses[0]! });
    const there = createConnectionHub({ bus: buses[1]! });
    try {
      const { manager } = legacyModule();
      const s = (name: string) => spec(id, `conn.${name}`);
      const registerFn = defineLegacyFreeFunction(s('register'), manager.register, { canonical: register, registration: true, hub: here });
      const notify = defineLegacyFreeFunction(s('notify'), manager.notify, { canonical: notifyTemplate, hub: here });
      const other = await client(); // the same user's tab on another instance
      hubOperations(there).connect('A', other.server);
      const a = await client();
      shim.runtime.modes.set(id, 'legacy');
      registerFn('A', a.server);
      await new Promise((r) => setTimeout(r, 400)); // a publish would be delivered by now
      shim.runtime.modes.set(id, 'canonical');
      notify('A', { type: 'forward' });
      const deadline = Date.now() + 5000;
      while ((a.frames.length < 2 || other.frames.length < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await settle();
      expect(parsed(a)).toEqual([
        { type: 'welcome', via: 'legacy' },
        { type: 'forward', via: 'canonical' },
      ]);
      expect(parsed(other)).toEqual([{ type: 'forward', via: 'canonical' }]);
      after?.(here);
    } finally {
      await here.close();
      await there.close();
      for (const b of buses) await b.close();
    }
  }

  it('free functions: the welcome the template sends through $hub is neither written here nor delivered to the user on another instance', async () => {
    await mutedOverRedis(
      'FMU004',
      (self, userId, socket) => {
        self.hub.connect(userId, socket as never);
        void self.hub.sendToUser(userId, { type: 'welcome', via: 'canonical' });
      },
      (self, userId, payload) => void self.hub.sendToUser(userId, { ...payload, via: 'canonical' }),
    );
  });

  it('free functions: nor what it sends through $user(x), $run(x) or $hub.hub, also after its await; the muted emit starts no run', async () => {
    await mutedOverRedis(
      'FMU008',
      async (self, userId, socket) => {
        self.hub.connect(userId, socket as never);
        await self.user(userId).sendToUser(userId, { type: 'welcome', via: '$user' });
        await tick();
        await self.run({ userId, threadId: 't1', runId: 'r1' }).emit('agent_started', { agentName: 'greeter' });
        await self.hub.hub.sendToUser(userId, { type: 'welcome', via: '$hub.hub' });
      },
      (self, userId, payload) => void self.user(userId).sendToUser(userId, { ...payload, via: 'canonical' }),
      (here) => expect(here.runPhase('r1')).toBeUndefined(),
    );
  });
});
