/**
 * An object manager (defineLegacyObject): an object literal over module-level state, with methods
 * calling each other through `this`, a getter and a plain field. The facade object has the same
 * properties; each member call is an entry point routed per call — canonical (the table on the
 * one hub), legacy (the frozen object, its `this` calls staying on it), strict (throws), shadow
 * (frozen serves, the template runs on a private hub, frames compared) — counted per call site
 * under `symbol.member`. Real sockets on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionHub } from '../../canonical/index.js';
import { DeprecatedApiError, UnmappedMemberError } from '../errors.js';
import { defineLegacyObject } from '../proxies/object.js';
import { canonicalTable } from '../proxies/templated.js';
import { closeShimLoopback, openShimLoopback, settle, type Loopback } from './loopback.js';
import { Stream, streamFeed } from './stream-feed.js';
import type { ShimRuntime } from '../runtime.js';

interface Sock {
  send(d: string): void;
}

/** A fresh legacy module: its state is the module's, not the object's. */
function legacyModule() {
  const sockets = new Map<string, Sock>();
  const calls: string[] = [];
  const manager = {
    label: 'orders',
    register(orderId: string, socket: Sock): void {
      sockets.set(orderId, socket);
      this.sendStatus(orderId, 'subscribed');
    },
    notify(orderId: string, payload: Record<string, unknown>): void {
      calls.push(`notify:${orderId}`);
      sockets.get(orderId)?.send(JSON.stringify(payload));
    },
    sendStatus(orderId: string, status: string): void {
      calls.push(`sendStatus:${orderId}`);
      this.notify(orderId, { orderId, status });
    },
    unwatched(): number {
      return sockets.size;
    },
    get count(): number {
      return sockets.size;
    },
  };
  return { manager, sockets, calls };
}
type Manager = ReturnType<typeof legacyModule>['manager'];

const table = canonicalTable<Manager>({
  methods: {
    register: (self, orderId, socket) => {
      self.hub.connect(orderId, socket);
      void self.hub.sendToUser(orderId, { orderId, status: 'subscribed' });
    },
    notify: (self, orderId, payload) => void self.hub.sendToUser(orderId, { ...payload }),
    sendStatus: (self, orderId, status) => void self.hub.sendToUser(orderId, { orderId, status }),
  },
  properties: { count: (self) => self.hub.listConnectedUsers().length },
  legacy: ['label'],
  unmapped: ['unwatched'],
});
const spec = { id: 'OBJ001', symbol: 'wsManager', replacement: 'hubOperations() from ssot-migrate/canonical' };

let hub: ConnectionHub;
let runtime: ShimRuntime;
let loop: Loopback;

beforeEach(async () => {
  ({ runtime, hub, loop } = await openShimLoopback());
});
afterEach(async () => {
  await closeShimLoopback({ runtime, hub, loop });
});

const client = () => loop.client();
const uses = () => runtime.telemetry.snapshot().filter((r) => r.id === 'OBJ001');

describe('defineLegacyObject', () => {
  it('has the frozen object’s properties, enumerable as they were; methods are functions in every mode', () => {
    const { manager } = legacyModule();
    const facade = defineLegacyObject(spec, manager, { canonical: table });
    expect(Object.keys(facade)).toEqual(Object.keys(manager));
    expect(facade === manager).toBe(false);
    expect(typeof facade.notify).toBe('function');
    expect(facade.notify.name).toBe('notify');
    expect(facade.notify.length).toBe(2);
    expect(uses()).toEqual([]); // reading a method is no use
  });

  it('canonical (default): templates on the one hub, the frozen module untouched, one record per call site and member', async () => {
    const { manager, sockets, calls } = legacyModule();
    const facade = defineLegacyObject(spec, manager, { canonical: table });
    const c = await client();
    facade.register('o1', c.server);
    facade.sendStatus('o1', 'routing');
    expect(facade.count).toBe(1);
    expect(facade.label).toBe('orders'); // legacyMembers: the frozen object's
    expect(() => facade.unwatched()).toThrow(UnmappedMemberError);
    expect(() => {
      (facade as { count: number }).count = 3;
    }).toThrow(UnmappedMemberError); // a templated property is read-only
    await settle();
    expect(c.frames.map((f) => JSON.parse(f) as unknown)).toEqual([
      { orderId: 'o1', status: 'subscribed' },
      { orderId: 'o1', status: 'routing' },
    ]);
    expect(sockets.size).toBe(0);
    expect(calls).toEqual([]);
    expect(hub.getUserConnections('o1').size).toBe(1);
    const sites = uses();
    expect(sites.map((s) => s.symbol).sort()).toEqual(['wsManager.count', 'wsManager.count', 'wsManager.label', 'wsManager.register', 'wsManager.sendStatus', 'wsManager.unwatched']);
    expect(sites.every((s) => s.mode === 'canonical' && s.site?.file.endsWith('object.test.ts'))).toBe(true);
    c.close();
  });

  it('legacy: the frozen object serves, its methods calling each other through `this` on it (uncounted); a field write reaches it', async () => {
    const { manager, sockets, calls } = legacyModule();
    const facade = defineLegacyObject(spec, manager, { canonical: table });
    runtime.modes.set('OBJ001', 'legacy');
    const c = await client();
    facade.register('o2', c.server);
    facade.notify('o2', { n: 1 });
    expect(facade.count).toBe(1);
    expect(facade.unwatched()).toBe(1);
    facade.label = 'renamed';
    expect(manager.label).toBe('renamed');
    await settle();
    expect(c.frames.map((f) => JSON.parse(f) as unknown)).toEqual([{ orderId: 'o2', status: 'subscribed' }, { n: 1 }]);
    expect(sockets.get('o2')).toBe(c.server);
    expect(calls).toEqual(['sendStatus:o2', 'notify:o2', 'notify:o2']); // register → this.sendStatus → this.notify ran on the frozen object
    expect(hub.getUserConnections('o2').size).toBe(0);
    // the internal this-calls are not uses: register, notify, count, unwatched, label (write)
    expect(uses().reduce((n, r) => n + r.count, 0)).toBe(5);
    expect(uses().every((r) => r.mode === 'legacy')).toBe(true);
    c.close();
  });

  it('strict throws DeprecatedApiError naming the member; a flip applies at the next call', () => {
    const { manager, calls } = legacyModule();
    const facade = defineLegacyObject(spec, manager, { canonical: table });
    runtime.modes.set('OBJ001', 'strict');
    expect(() => facade.notify('o3', {})).toThrow(DeprecatedApiError);
    expect(() => facade.count).toThrow(/wsManager\.count/);
    expect(calls).toEqual([]);
    runtime.modes.set('OBJ001', 'legacy');
    facade.notify('o3', {});
    expect(calls).toEqual(['notify:o3']);
  });

  it('shadow: the frozen object serves over the real socket, the templates run on a private hub; nothing twice, no mismatch', async () => {
    const { manager, sockets } = legacyModule();
    const facade = defineLegacyObject(spec, manager, { canonical: table });
    runtime.modes.set('OBJ001', 'shadow');
    const c = await client();
    facade.register('o4', c.server);
    facade.sendStatus('o4', 'confirmed');
    expect(facade.count).toBe(1);
    expect(facade.label).toBe('orders');
    await settle();
    expect(c.frames.map((f) => JSON.parse(f) as unknown)).toEqual([
      { orderId: 'o4', status: 'subscribed' },
      { orderId: 'o4', status: 'confirmed' },
    ]);
    expect(sockets.size).toBe(1);
    expect(hub.getUserConnections('o4').size).toBe(0);
    expect(runtime.shadow.calls).toBe(2);
    expect(runtime.shadow.mismatches()).toEqual([]);
    c.close();
  });

  it('shadow with connections wrapped in another object (a framework stream: `conn.socket`, no connection id): each frame once, and a later call with the same wrapper finds what the legacy side stored', async () => {
    const { feed, feedTable, subs } = streamFeed();
    const facade = defineLegacyObject({ ...spec, symbol: 'feed' }, feed, { canonical: feedTable });
    runtime.modes.set('OBJ001', 'shadow');
    const c = await client();
    const conn = new Stream(c.server);
    facade.register('o7', conn);
    facade.notify('o7', { n: 1 });
    await settle();
    expect(c.frames).toEqual(['{"n":1}']);
    expect(runtime.shadow.mismatches()).toEqual([]);
    facade.unregister('o7', conn);
    expect(subs.get('o7')?.size).toBe(0);
    facade.notify('o7', { n: 2 });
    await settle();
    expect(c.frames).toEqual(['{"n":1}']);
    expect(runtime.shadow.mismatches()).toEqual([]);
    c.close();
  });

  it('shadow records a difference between the two sides', async () => {
    const { manager } = legacyModule();
    const wrong = canonicalTable<Manager>({ ...table, methods: { ...table.methods, notify: (self, orderId) => void self.hub.sendToUser(orderId, { other: true }) } });
    const facade = defineLegacyObject(spec, manager, { canonical: wrong });
    runtime.modes.set('OBJ001', 'shadow');
    const c = await client();
    facade.register('o5', c.server);
    facade.notify('o5', { n: 2 });
    await settle();
    expect(c.frames.map((f) => JSON.parse(f) as unknown)).toEqual([{ orderId: 'o5', status: 'subscribed' }, { n: 2 }]);
    expect(runtime.shadow.mismatches().map((m) => [m.op, m.primary, m.shadow])).toEqual([['notify', ['#1:{"n":2}'], ['#1:{"other":true}']]]);
    c.close();
  });

  it('without a table: legacy by default (counted), and UnmappedMemberError when forced canonical', () => {
    const { manager, sockets } = legacyModule();
    const facade = defineLegacyObject(spec, manager);
    facade.register('o6', { send: () => undefined });
    expect(sockets.size).toBe(1);
    expect(uses().length).toBe(1);
    runtime.modes.set('OBJ001', 'canonical');
    expect(() => facade.notify('o6', {})).toThrow(UnmappedMemberError);
  });
});
