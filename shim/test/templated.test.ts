/**
 * Canonical-mode objects built from a member-template table (what strangle generates from the
 * manifest's classes[]), on a legacy class the shim has never heard of: a synchronous hub with
 * other names. Real canonical hub, in-memory sockets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnectionHub, createWebSocketManager, setDefaultHub } from '../../canonical/index.js';
import type { ConnectionHub } from '../../canonical/index.js';
import { UnmappedMemberError } from '../errors.js';
import { bindingOf, CanonicalBinding, canonicalTable } from '../proxies/templated.js';
import { defineLegacyAdapter, defineLegacyManagerAlias, defineLegacyManagerFunction } from '../proxies/index.js';
import { createShimRuntime, setShimRuntime } from '../runtime.js';

interface Sock {
  send(data: string): void;
}

class Hub {
  mode = 'live';
  private readonly socks = new Map<string, Sock>();
  attach(userId: string, socket: Sock): string {
    this.socks.set(userId, socket);
    return `legacy_${userId}`;
  }
  publish(userId: string, event: { type: string; [k: string]: unknown }): number {
    this.socks.get(userId)?.send(JSON.stringify(event));
    return this.socks.has(userId) ? 1 : 0;
  }
  nudge(userId: string): void {
    this.publish(userId, { type: 'nudge' });
  }
  count(): number {
    return this.socks.size;
  }
  forgotten(): string {
    return 'legacy';
  }
}

class Pusher {
  constructor(
    private readonly hub: Hub,
    readonly userId: string,
    readonly runId: string,
  ) {}
  static of(hub: Hub, userId: string): Pusher {
    return new Pusher(hub, userId, 'run_static');
  }
  started(agent: string): void {
    this.hub.publish(this.userId, { type: 'started', agent });
  }
}

const table = canonicalTable<Hub>({
  methods: {
    attach: (self, a1, a2) => self.hub.connect(a1, a2),
    publish: (self, a1, a2) => self.hub.sendToUser(a1, a2),
    nudge: (self, a1) => self.user(a1).emit('agent_started', { agentName: 'x' }), // a promise for a void member
    count: (self) => self.hub.connectionCount(),
  },
  legacy: ['mode'],
  unmapped: ['forgotten'],
  detached: ['nudge'],
});

const spec = (id: string, symbol: string) => ({ id, symbol, replacement: 'canonical' });
let hub: ConnectionHub;
let warnings: string[];
const frames = (raw: string[]) => raw.map((f) => JSON.parse(f) as Record<string, unknown>);

beforeEach(() => {
  warnings = [];
  setShimRuntime(createShimRuntime({ emitWarning: (m) => warnings.push(m) }));
  hub = createConnectionHub();
  setDefaultHub(hub);
});
afterEach(async () => {
  await hub.close();
  setDefaultHub(undefined);
});

describe('canonical-mode objects from a template table', () => {
  it('templated members use the one canonical registry; legacy members the frozen object; unmapped ones throw UnmappedMemberError', async () => {
    const Alias = defineLegacyManagerAlias(spec('TPL001', 'Hub'), Hub, { canonical: table });
    const h = new Alias();
    expect(h).toBeInstanceOf(Alias);
    expect(bindingOf(h)).toBeDefined();
    const raw: string[] = [];
    const id = h.attach('alice', { send: (d) => raw.push(d) });
    expect(id).toMatch(/^conn_/);
    expect(h.publish('alice', { type: 'note' })).toBe(1); // synchronous, like the legacy hub
    expect(h.count()).toBe(1);
    // a canonical manager of that user reaches the socket attached through the legacy API
    await createWebSocketManager({ userId: 'alice', threadId: 't', runId: 'r' }).emit('agent_started', { agentName: 'a' });
    expect(frames(raw).map((f) => f.type)).toEqual(['note', 'agent_started']);
    h.mode = 'draining';
    expect(h.mode).toBe('draining');
    expect(() => h.forgotten()).toThrow(UnmappedMemberError);
    expect(() => h.forgotten()).toThrow(/TPL001: Hub\.forgotten has no canonical template/);
  });

  it('a void member whose template returns a promise stays synchronous; its rejection is reported, never unhandled', async () => {
    const Alias = defineLegacyManagerAlias(spec('TPL002', 'Hub'), Hub, { canonical: table });
    const h = new Alias();
    h.attach('bob', { send: () => undefined });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const reported: string[] = [];
    const onWarning = (w: Error) => reported.push(w.message);
    process.on('warning', onWarning);
    try {
      expect(h.nudge('bob')).toBeUndefined();
      expect(h.nudge('bob')).toBeUndefined(); // agent_started twice in one run: EventOrderError, asynchronously
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.off('warning', onWarning);
    }
    expect(unhandled).toEqual([]);
    expect(reported.join('\n')).toMatch(/TPL002: Hub\.nudge: .*(order|agent_started)/i);
  });

  it('a factory function returns one canonical object over the frozen singleton it hands out', () => {
    const single = new Hub();
    const get = defineLegacyManagerFunction(spec('TPL003', 'getHub'), () => single, { canonical: table, frozenManager: Hub });
    const a = get();
    expect(a).toBe(get());
    expect(bindingOf(a)?.legacy).toBe(single);
    single.mode = 'degraded';
    expect(a.mode).toBe('degraded');
  });

  it('defaultMode legacy applies until a source names the id', () => {
    const Alias = defineLegacyManagerAlias(spec('TPL004', 'Hub'), Hub, { canonical: table, defaultMode: 'legacy' });
    expect(bindingOf(new Alias())).toBeUndefined(); // the frozen class serves
    setShimRuntime(createShimRuntime({ env: 'TPL004=canonical' }));
    expect(bindingOf(new Alias())).toBeDefined();
  });

  it('an adapter keeping its user/run in properties (and made by its own static) emits through the one registry', async () => {
    const HubAlias = defineLegacyManagerAlias(spec('TPL005', 'Hub'), Hub, { canonical: table });
    const PusherAlias = defineLegacyAdapter(spec('TPL006', 'Pusher'), Pusher, {
      unwrapArg: 0,
      scope: { userId: 'userId', runId: 'runId' },
      statics: ['of'],
      detached: ['started'],
      methods: { started: (m, a1: string) => m.emit('agent_started', { agentName: a1, agent: a1 }) },
    });
    const h = new HubAlias();
    const raw: string[] = [];
    h.attach('carol', { send: (d) => raw.push(d) });
    expect(new PusherAlias(h, 'carol', 'run_1').started('planner')).toBeUndefined();
    PusherAlias.of(h, 'carol').started('other');
    await new Promise((r) => setTimeout(r, 10));
    expect(frames(raw).map((f) => [f.type, f.runId, f.agent])).toEqual([
      ['agent_started', 'run_1', 'planner'],
      ['agent_started', 'run_static', 'other'],
    ]);
  });
});

describe("a binding's muted form (a registration run while canonical does not serve)", () => {
  it('shares the registry and the context (a rebind either way reaches both), and its handles deliver nothing', async () => {
    const hub = createConnectionHub();
    try {
      const frames: string[] = [];
      const ctx = { userId: 'u1', threadId: 't1', runId: 'r1' };
      const binding = new CanonicalBinding(hub, () => ({}), ctx);
      const muted = binding.muted();
      expect(binding.muted()).toBe(muted);
      const id = muted.hub.connect('u1', { send: (d: string) => void frames.push(d) }, { greeting: () => ({ type: 'hello' }) });
      expect(hub.getConnection(id)?.userId).toBe('u1'); // registered on the one hub
      await muted.user('u1').sendToUser('u1', { type: 'a' });
      await muted.run().emit('agent_started', { agentName: 'x' });
      await muted.emit('u1', 'b', {});
      muted.hub.hub.sendFrameTo(id, { type: 'c' });
      await muted.hub.hub.bus.publishToUser('u1', { type: 'd' });
      expect(frames).toEqual([]);
      expect(hub.runPhase('r1')).toBeUndefined();
      await binding.user('u1').sendToUser('u1', { type: 'served' });
      expect(frames.map((f) => (JSON.parse(f) as { type: string }).type)).toEqual(['served']);
      const next = { userId: 'u1', threadId: 't2', runId: 'r2' };
      binding.rebind(next);
      expect(muted.context).toBe(next);
      muted.rebind(ctx);
      expect(binding.context).toBe(ctx);
    } finally {
      await hub.close();
    }
  });
});
