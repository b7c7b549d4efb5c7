/**
 * A legacy instance the module exports itself (defineLegacyInstance): every member read is the
 * entry point, routed by the id's mode at that read — canonical (the class's table over the
 * frozen instance, on the one hub), legacy (the frozen instance), strict (throws), shadow (the
 * frozen instance serves, the table runs on a private hub, frames compared) — counted per site.
 * Real sockets on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionHub } from '../../canonical/index.js';
import { DeprecatedApiError, UnmappedMemberError } from '../errors.js';
import { defineLegacyInstance } from '../proxies/instance.js';
import { canonicalTable } from '../proxies/templated.js';
import { closeShimLoopback, openShimLoopback, settle, type Loopback } from './loopback.js';
import type { ShimRuntime } from '../runtime.js';

interface Sock {
  send(d: string): void;
}
class Registry {
  sockets = new Map<string, Sock>();
  register(userId: string, socket: Sock): void {
    this.sockets.set(userId, socket);
  }
  sendToUser(userId: string, event: string, data: unknown): void {
    this.sockets.get(userId)?.send(JSON.stringify({ event, data }));
  }
  isOnline(userId: string): boolean {
    return this.sockets.has(userId);
  }
}

const table = canonicalTable<Registry>({
  methods: {
    register: (self, userId, socket) => void self.hub.connect(userId, socket),
    sendToUser: (self, userId, event, data) => void self.hub.sendToUser(userId, { event, data }),
    isOnline: (self, userId) => self.hub.isOnline(userId),
  },
});
const spec = { id: 'INS001', symbol: 'registry', replacement: 'hubOperations() from ssot-migrate/canonical' };

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

describe('defineLegacyInstance', () => {
  it('canonical (the default): member calls run the table on the one hub; the frozen instance is untouched; sites counted', async () => {
    const frozen = new Registry();
    const inst = defineLegacyInstance(spec, frozen, { canonical: table });
    const c = await client();
    inst.register('alice', c.server);
    inst.sendToUser('alice', 'chat', { text: 'hi' });
    expect(inst.isOnline('alice')).toBe(true);
    await settle();
    expect(c.frames).toEqual([JSON.stringify({ event: 'chat', data: { text: 'hi' } })]);
    expect(frozen.sockets.size).toBe(0);
    expect(hub.getUserConnections('alice').size).toBe(1);
    expect(inst instanceof Registry).toBe(true);
    const sites = runtime.telemetry.snapshot().filter((r) => r.id === 'INS001');
    expect(sites.length).toBe(3); // one per call site, each naming this file
    expect(sites.every((s) => s.site?.file.endsWith('instance.test.ts'))).toBe(true);
    expect(inst.sendToUser).toBe(inst.sendToUser);
    c.close();
  });

  it('legacy: the frozen instance serves (its own this-reads not counted); strict throws; a flip applies at the next read', async () => {
    const frozen = new Registry();
    const inst = defineLegacyInstance(spec, frozen, { canonical: table });
    runtime.modes.set('INS001', 'legacy');
    const c = await client();
    inst.register('bob', c.server);
    inst.sendToUser('bob', 'x', 1);
    expect(frozen.sockets.size).toBe(1);
    expect(hub.getUserConnections('bob').size).toBe(0);
    expect(runtime.telemetry.snapshot().filter((r) => r.id === 'INS001').reduce((n, r) => n + r.count, 0)).toBe(2);
    runtime.modes.set('INS001', 'strict');
    expect(() => inst.sendToUser('bob', 'y', 2)).toThrow(DeprecatedApiError);
    runtime.modes.set('INS001', 'canonical');
    expect(inst.isOnline('bob')).toBe(false); // canonical: the hub has no bob; the legacy registry kept its own
    await settle();
    expect(c.frames).toEqual([JSON.stringify({ event: 'x', data: 1 })]);
    c.close();
  });

  it('shadow: the frozen instance serves, the table runs on a private hub, nothing delivered twice, no mismatch', async () => {
    const frozen = new Registry();
    const inst = defineLegacyInstance(spec, frozen, { canonical: table });
    runtime.modes.set('INS001', 'shadow');
    const c = await client();
    inst.register('carol', c.server);
    inst.sendToUser('carol', 'ev', { n: 1 });
    await settle();
    expect(c.frames).toEqual([JSON.stringify({ event: 'ev', data: { n: 1 } })]);
    expect(hub.getUserConnections('carol').size).toBe(0);
    expect(runtime.shadow.calls).toBeGreaterThanOrEqual(2);
    expect(runtime.shadow.mismatches()).toEqual([]);
    c.close();
  });

  it('without a table: legacy by default, and UnmappedMemberError when forced canonical', () => {
    const frozen = new Registry();
    const inst = defineLegacyInstance(spec, frozen);
    inst.register('dan', { send: () => undefined });
    expect(frozen.sockets.size).toBe(1);
    runtime.modes.set('INS001', 'canonical');
    expect(() => inst.isOnline('dan')).toThrow(UnmappedMemberError);
  });
});
