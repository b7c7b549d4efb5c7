/**
 * A runtime flip must reach the users served by long-lived managers too: an instance built by
 * `new LegacyManager(…)` or handed out by a factory before the flip serves, at its next call, the
 * side the mode names now (follow.ts), and its registration members ran on both sides, so that side
 * holds the connection. Two class-shaped backends over real `ws` sockets on loopback:
 *  - examples/relay-backend's RealtimeHub (one object holding every socket; `new RealtimeHub()` and
 *    the HubRegistry.shared() singleton factory), its table as strangle writes it from the manifest;
 *  - a per-user session class over a module-level room map, handed out by `createSession(ctx)` and
 *    `new Session(ctx)`, registering connection records that carry the socket; its frames say which
 *    side wrote them.
 *  - examples/legacy-app's UnifiedWebSocketManager (connection records with the caller's id), its
 *    fixture table with the registration members strangle finds (addConnection, removeConnection).
 * Each test asserts what a real client received (greetings exactly once) and which side served.
 */
import { describe, expect, it } from 'vitest';
import { hubOperations } from '../../canonical/index.js';
import { DeprecatedApiError } from '../errors.js';
import { defineLegacyFactoryClass } from '../proxies/factory.js';
import { defineLegacyManagerAlias, defineLegacyManagerFunction } from '../proxies/manager.js';
import { canonicalTable } from '../proxies/templated.js';
import type { CanonicalTable } from '../proxies/templated.js';
import { settle, useShimLoopback, type LoopbackClient } from './loopback.js';
import * as relay from '../../examples/relay-backend/src/realtime/hub.js';
import { HubRegistry } from '../../examples/relay-backend/src/realtime/registry.js';
import * as unified from '../../examples/legacy-app/src/websocket_core/unified_manager.js';
import { canonicalUnifiedWebSocketManager } from './__fixtures__/facades/unified_manager_table.js';

/** RealtimeHub's table, as strangle writes it from examples/relay-backend/ssot.config.json classes[] (attach registers). */
const relayMethods = canonicalTable<relay.RealtimeHub>({
  methods: {
    attach: (self, a1, a2) => self.hub.connect(a1, a2, { greeting: (connectionId) => ({ type: 'hello', connectionId }) }),
    publishToUser: (self, a1, a2) => self.hub.sendToUser(a1, a2),
    broadcastAll: (self, a1) => self.hub.broadcastAll(a1),
    listConnectedUsers: (self) => self.hub.listConnectedUsers(),
    connectionCount: (self, a1) => self.hub.connectionCount(a1),
    isOnline: (self, a1) => self.hub.isOnline(a1),
    health: (self) => ({ ...self.hub.health(), status: 'ok' as const, mode: 'live' as never }),
  },
  legacy: ['bindScope', 'currentScope'],
  unmapped: ['detach', 'setMode'],
});
const relayTable = canonicalTable<relay.RealtimeHub>({ ...relayMethods, registration: ['attach'] });

interface Sock {
  send(d: string): void;
  on(event: 'close', l: () => void): unknown;
}
interface Conn {
  userId: string;
  socket: Sock;
}
interface Ctx {
  userId: string;
  threadId: string;
  runId: string;
}

/** A per-user session class over a module-level room map (one Set of connection records per user). */
function sessionModule() {
  const rooms = new Map<string, Set<Conn>>();
  class Session {
    constructor(readonly ctx: Ctx) {}
    join(conn: Conn): void {
      let room = rooms.get(conn.userId);
      if (!room) rooms.set(conn.userId, (room = new Set()));
      room.add(conn);
      conn.socket.send(JSON.stringify({ type: 'joined', via: 'legacy' }));
    }
    leave(conn: Conn): void {
      rooms.get(conn.userId)?.delete(conn);
    }
    notify(payload: Record<string, unknown>): void {
      for (const c of rooms.get(this.ctx.userId) ?? []) c.socket.send(JSON.stringify({ ...payload, via: 'legacy' }));
    }
  }
  const createSession = (ctx: Ctx): Session => new Session(ctx);
  return { rooms, Session, createSession };
}
type Session = InstanceType<ReturnType<typeof sessionModule>['Session']>;
const sessionMethods = canonicalTable<Session>({
  methods: {
    join: (self, conn) => void self.hub.connect(conn.userId, conn.socket, { greeting: () => ({ type: 'joined', via: 'canonical' }) }),
    leave: (self, conn) => {
      const id = self.hub.hub.getConnectionIdBySocket(conn.socket as never);
      if (id !== undefined) self.hub.disconnect(id);
    },
    notify: (self, payload) => void self.hub.sendToUser(self.context!.userId, { ...payload, via: 'canonical' }),
  },
});
const sessionTable = canonicalTable<Session>({ ...sessionMethods, registration: ['join', 'leave'] });

const shim = useShimLoopback({ beforeEach: () => HubRegistry.reset() });
const { warnings } = shim;
const client = (): Promise<LoopbackClient> => shim.client();
const parsed = (c: LoopbackClient) => c.frames.map((f) => JSON.parse(f) as Record<string, unknown>);
const types = (c: LoopbackClient) => parsed(c).map((f) => f['type']);
const spec = (id: string, symbol: string) => ({ id, symbol, replacement: 'hubOperations()' });

function relayAlias(table: CanonicalTable<relay.RealtimeHub>) {
  return defineLegacyManagerAlias(spec('FLM001', 'RealtimeHub'), relay.RealtimeHub, { canonical: table });
}
/** Frames the hub wrote, as its stats count them: whether canonical served a call. */
const hubFrames = () => shim.hub.stats().framesSent;

describe('a class instance (`new RealtimeHub()`, examples/relay-backend) follows a flip', () => {
  it('made under canonical and kept: after a rollback the legacy code serves it, every user it registered included — hello once', async () => {
    const Hub = relayAlias(relayTable);
    const realtime = new Hub(); // made at boot, kept for the process's life
    const a = await client();
    realtime.attach('A', a.server);
    shim.runtime.modes.set('FLM001', 'legacy'); // the on-call rollback
    const before = hubFrames();
    const delivered = realtime.health().delivered; // the frozen RealtimeHub's own counter (its muted hello counted)
    expect(realtime.publishToUser('A', { type: 'notice', n: 1 })).toBe(1);
    expect(hubFrames()).toBe(before); // not canonical
    expect(realtime.health().delivered).toBe(delivered + 1); // legacy served
    await settle();
    expect(types(a)).toEqual(['hello', 'notice']);
    expect(warnings).toEqual([]);
  });

  it('made under legacy: after a flip forward canonical serves it, the users it registered under legacy included', async () => {
    const Hub = relayAlias(relayTable);
    shim.runtime.modes.set('FLM001', 'legacy');
    const realtime = new Hub();
    const b = await client();
    realtime.attach('B', b.server);
    expect(hubOperations(shim.hub).isOnline('B')).toBe(true); // recorded on the hub, muted
    shim.runtime.modes.set('FLM001', 'canonical');
    const before = hubFrames();
    realtime.publishToUser('B', { type: 'notice', n: 2 });
    expect(hubFrames()).toBe(before + 1);
    await settle();
    expect(types(b)).toEqual(['hello', 'notice']);
  });

  it('back and forth on one instance: every message once, served by the side of the moment; code calling the hub directly reaches every socket', async () => {
    const Hub = relayAlias(relayTable);
    const realtime = new Hub();
    const ops = hubOperations(shim.hub);
    const a = await client();
    realtime.attach('A', a.server);
    shim.runtime.modes.set('FLM001', 'legacy');
    const b = await client();
    realtime.attach('B', b.server);
    for (const [i, mode] of (['legacy', 'canonical', 'legacy', 'canonical'] as const).entries()) {
      shim.runtime.modes.set('FLM001', mode);
      const before = hubFrames();
      realtime.publishToUser('A', { type: 'n', i });
      realtime.publishToUser('B', { type: 'n', i });
      ops.sendToUser('B', { type: 'direct', i });
      expect(hubFrames() - before).toBe(mode === 'legacy' ? 1 : 3); // under legacy the hub wrote only the direct frame
      expect(realtime.connectionCount('A') + realtime.connectionCount('B')).toBe(2);
    }
    await settle();
    expect(parsed(a).map((f) => f['i'] ?? f['type'])).toEqual(['hello', 0, 1, 2, 3]);
    expect(parsed(b).map((f) => `${String(f['type'])}${String(f['i'] ?? '')}`)).toEqual(['hello', 'n0', 'direct0', 'n1', 'direct1', 'n2', 'direct2', 'n3', 'direct3']);
  });

  it('the singleton factory (HubRegistry.shared()): the hub a module kept from before the rollback is served by legacy after it, and stays one object', async () => {
    const Registry = defineLegacyFactoryClass(spec('FLM001', 'HubRegistry'), HubRegistry, {
      statics: { shared: {}, forRequest: {} },
      canonical: relayTable,
      frozenManager: relay.RealtimeHub,
    });
    const kept = Registry.shared();
    const a = await client();
    kept.attach('A', a.server);
    shim.runtime.modes.set('FLM001', 'legacy');
    expect(Registry.shared()).toBe(kept);
    const before = hubFrames();
    const delivered = kept.health().delivered;
    kept.publishToUser('A', { type: 'notice' });
    expect(hubFrames()).toBe(before);
    expect(kept.health().delivered).toBe(delivered + 1);
    await settle();
    expect(types(a)).toEqual(['hello', 'notice']);
  });

  it('without registration members a flip still moves the instance to the side of the moment, but that side lacks the sockets registered before it', async () => {
    const Hub = relayAlias(relayMethods);
    const realtime = new Hub();
    const a = await client();
    realtime.attach('A', a.server);
    shim.runtime.modes.set('FLM001', 'legacy');
    expect(realtime.publishToUser('A', { type: 'lost' })).toBe(0); // the frozen hub serves, and never saw A
    await settle();
    expect(types(a)).toEqual(['hello']);
  });

  it('strict after the construction: each call throws DeprecatedApiError naming the member, nothing is sent', async () => {
    const Hub = relayAlias(relayTable);
    const realtime = new Hub();
    const a = await client();
    realtime.attach('A', a.server);
    shim.runtime.modes.set('FLM001', 'strict');
    expect(() => realtime.publishToUser('A', { type: 'x' })).toThrow(DeprecatedApiError);
    expect(() => realtime.publishToUser('A', { type: 'x' })).toThrow(/RealtimeHub#publishToUser/);
    shim.runtime.modes.set('FLM001', 'canonical');
    realtime.publishToUser('A', { type: 'back' });
    await settle();
    expect(types(a)).toEqual(['hello', 'back']);
  });

  it('shadow after the construction: the legacy side serves its registered sockets, canonical is compared on capturing sockets, nothing twice', async () => {
    const Hub = relayAlias(relayTable);
    const realtime = new Hub();
    const a = await client();
    realtime.attach('A', a.server);
    shim.runtime.modes.set('FLM001', 'shadow');
    realtime.publishToUser('A', { type: 'shadowed' });
    shim.runtime.modes.set('FLM001', 'canonical');
    realtime.publishToUser('A', { type: 'forward' });
    await settle();
    expect(types(a)).toEqual(['hello', 'shadowed', 'forward']);
    expect(shim.runtime.shadow.calls).toBe(1);
  });
});

describe('a per-user session class and its factory (`createSession(ctx)`, `new Session(ctx)`) follow a flip', () => {
  const ctx = (userId: string): Ctx => ({ userId, threadId: `t_${userId}`, runId: `r_${userId}` });
  function facades(table: CanonicalTable<Session>) {
    const mod = sessionModule();
    return {
      ...mod,
      createSession: defineLegacyManagerFunction(spec('FLM002', 'createSession'), mod.createSession, { canonical: table, frozenManager: mod.Session as never }),
      Session: defineLegacyManagerAlias(spec('FLM002', 'Session'), mod.Session, { canonical: table, contextArg: 0 }),
    };
  }

  it('a session made by the factory under canonical is served by legacy after a rollback, and by canonical again after the flip back — joined once', async () => {
    const { createSession, rooms } = facades(sessionTable);
    const a = await client();
    const session = createSession(ctx('A')); // kept for the connection's life
    session.join({ userId: 'A', socket: a.server });
    expect(rooms.get('A')?.size).toBe(1);
    session.notify({ n: 0 });
    shim.runtime.modes.set('FLM002', 'legacy');
    session.notify({ n: 1 });
    shim.runtime.modes.set('FLM002', 'canonical');
    session.notify({ n: 2 });
    await settle();
    expect(parsed(a)).toEqual([
      { type: 'joined', via: 'canonical' },
      { n: 0, via: 'canonical' },
      { n: 1, via: 'legacy' },
      { n: 2, via: 'canonical' },
    ]);
  });

  it('a session built with `new` under legacy is served by canonical after a flip forward', async () => {
    const { Session } = facades(sessionTable);
    shim.runtime.modes.set('FLM002', 'legacy');
    const b = await client();
    const session = new Session(ctx('B'));
    session.join({ userId: 'B', socket: b.server });
    shim.runtime.modes.set('FLM002', 'canonical');
    session.notify({ n: 1 });
    await settle();
    expect(parsed(b)).toEqual([{ type: 'joined', via: 'legacy' }, { n: 1, via: 'canonical' }]);
    expect(session).toBeInstanceOf(Session);
  });

  it('leaving reaches both sides: a connection record left under legacy gets nothing after a flip forward, one left under canonical nothing after a rollback', async () => {
    const { createSession, rooms } = facades(sessionTable);
    const a = await client();
    const b = await client();
    const connA = { userId: 'A', socket: a.server };
    const connB = { userId: 'B', socket: b.server };
    const sa = createSession(ctx('A'));
    const sb = createSession(ctx('B'));
    sa.join(connA);
    shim.runtime.modes.set('FLM002', 'legacy');
    sb.join(connB);
    sa.leave(connA); // legacy serves; the muted canonical side finds the real socket on the hub
    expect(rooms.get('A')?.size).toBe(0);
    expect(shim.hub.getUserConnections('A').size).toBe(0);
    shim.runtime.modes.set('FLM002', 'canonical');
    sb.leave(connB); // canonical serves (its stand-in); the legacy side forgets the record too
    expect(rooms.get('B')?.size).toBe(0);
    expect(shim.hub.getUserConnections('B').size).toBe(0);
    sa.notify({ n: 1 });
    sb.notify({ n: 1 });
    shim.runtime.modes.set('FLM002', 'legacy');
    sa.notify({ n: 2 });
    sb.notify({ n: 2 });
    await settle();
    expect(parsed(a)).toEqual([{ type: 'joined', via: 'canonical' }]);
    expect(parsed(b)).toEqual([{ type: 'joined', via: 'legacy' }]);
  });

  it('many sessions made before the rollback, one per user: each user gets its message from legacy after it', async () => {
    const { createSession } = facades(sessionTable);
    const users = ['u1', 'u2', 'u3'];
    const clients: LoopbackClient[] = [];
    for (const _ of users) clients.push(await client()); // one at a time: the loopback pairs each client with the next server socket
    const sessions = users.map((u, i) => {
      const s = createSession(ctx(u));
      s.join({ userId: u, socket: clients[i]!.server });
      return s;
    });
    shim.runtime.modes.set('FLM002', 'legacy');
    sessions.forEach((s, i) => s.notify({ to: users[i] }));
    await settle();
    clients.forEach((c, i) => expect(parsed(c)).toEqual([{ type: 'joined', via: 'canonical' }, { to: users[i], via: 'legacy' }]));
  });
});

describe('examples/legacy-app: a UnifiedWebSocketManager made at boot follows a flip', () => {
  const table = canonicalTable<unified.UnifiedWebSocketManager>({ ...canonicalUnifiedWebSocketManager, registration: ['addConnection', 'removeConnection'] });

  it('connections added under canonical are served by legacy after a rollback; one removed under legacy is gone from the hub too after the flip forward', async () => {
    const Manager = defineLegacyManagerAlias(spec('FLM003', 'UnifiedWebSocketManager'), unified.UnifiedWebSocketManager, { canonical: table });
    const manager = new Manager(unified.WebSocketManagerMode.UNIFIED); // no context: the process-wide one, kept
    const a = await client();
    const b = await client();
    await manager.addConnection({ connectionId: 'c_a', userId: 'A', socket: a.server, connectedAt: new Date() });
    await manager.addConnection({ connectionId: 'c_b', userId: 'B', socket: b.server, connectedAt: new Date() });
    shim.runtime.modes.set('FLM003', 'legacy');
    const before = hubFrames();
    await manager.sendToUser('A', { type: 'rollback' });
    expect(hubFrames()).toBe(before); // the frozen manager served, from the records it was given under canonical
    expect(manager.getStats().totalConnections).toBe(2);
    await manager.removeConnection('c_b');
    shim.runtime.modes.set('FLM003', 'canonical');
    expect(shim.hub.getUserConnections('B').size).toBe(0);
    await manager.sendToUser('A', { type: 'forward' });
    await manager.sendToUser('B', { type: 'gone' });
    await settle();
    expect(types(a)).toEqual(['rollback', 'forward']);
    expect(types(b)).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
