/**
 * The canonical-mode fast path of a manager that follows the mode (follow.ts): a dispatcher that
 * runs the member's template directly with the arguments by position (templated.ts DirectCall).
 * What it must keep from the two-frame, rest-array path it replaced: the exact arguments the caller
 * passed (none, trailing undefined, more than four), the count of each method call on the record of
 * the site that built the manager, the scoped-user check, the async member's rejection instead of a
 * throw, a detached member's undefined, and a flip between two calls (also after thousands of calls
 * have optimised the dispatcher) taking effect at the next call, with and without registration members.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrossUserAccessError, createConnectionHub } from '../../canonical/index.js';
import type { ConnectionHub } from '../../canonical/index.js';
import { DeprecatedApiError } from '../errors.js';
import { defineLegacyManagerAlias } from '../proxies/manager.js';
import { canonicalTable } from '../proxies/templated.js';
import { createShimRuntime } from '../runtime.js';
import type { ShimRuntime } from '../runtime.js';

interface Ctx {
  userId: string;
  threadId: string;
  runId: string;
}
class Notes {
  constructor(readonly ctx?: Ctx) {}
  args(...a: unknown[]): unknown[] {
    return ['legacy', ...a];
  }
  who(userId: string): string {
    return `legacy:${userId}`;
  }
  async later(userId: string): Promise<string> {
    return `legacy:${userId}`;
  }
  fire(userId: string): void {
    void userId;
  }
  register(userId: string, socket: unknown): void {
    void userId;
    void socket;
  }
}

const methods = canonicalTable<Notes>({
  methods: {
    args: (_self, ...a) => ['canonical', ...a],
    who: (self, u) => `canonical:${self.user(u).context.userId}`,
    later: (self, u) => Promise.resolve(`canonical:${self.user(u).context.userId}`),
    fire: (self, u) => Promise.resolve(self.user(u)).then(() => undefined),
    register: (self, u, s) => void self.hub.connect(u, s as never),
  },
  detached: ['fire'],
});
const withRegistration = canonicalTable<Notes>({ ...methods, registration: ['register'] });
const ctx: Ctx = { userId: 'alice', threadId: 'thr_a', runId: 'run_a' };

let runtime: ShimRuntime;
let hub: ConnectionHub;
beforeEach(() => {
  runtime = createShimRuntime({ emitWarning: () => {} });
  hub = createConnectionHub();
});
afterEach(async () => {
  await runtime.close();
  await hub.close();
});

const aliasOf = (id: string, table: typeof methods) => defineLegacyManagerAlias({ id, symbol: 'Notes', replacement: 'createWebSocketManager(ctx)' }, Notes, { canonical: table, contextArg: 0, runtime: () => runtime, hub: () => hub });

describe.each([
  ['without registration members', methods],
  ['with registration members', withRegistration],
])('follower fast path (%s)', (_name, table) => {
  it('hands the template exactly the arguments passed: none, trailing undefined, five and six', () => {
    const m = new (aliasOf('FFP001', table))(ctx);
    expect(m.args()).toEqual(['canonical']);
    expect(m.args(1)).toEqual(['canonical', 1]);
    expect(m.args(1, undefined).length).toBe(3);
    expect(m.args(1, 2, 3, 4)).toEqual(['canonical', 1, 2, 3, 4]);
    expect(m.args(1, 2, 3, 4, 5)).toEqual(['canonical', 1, 2, 3, 4, 5]);
    expect(m.args(1, 2, 3, 4, 5, 6)).toEqual(['canonical', 1, 2, 3, 4, 5, 6]);
    expect(m.args.length).toBe(0);
  });

  it('counts every method call on the record of the site that built the manager', () => {
    const Alias = aliasOf('FFP002', table);
    const a = new Alias(ctx); const line = new Error().stack!.split('\n')[1]!.match(/:(\d+):\d+\)?$/)![1];
    const b = new Alias(ctx);
    for (let i = 0; i < 5; i++) a.who('alice');
    for (let i = 0; i < 3; i++) b.args(i);
    const records = runtime.telemetry.snapshot().filter((r) => r.id === 'FFP002' && r.mode === 'canonical');
    expect(records.length).toBe(2);
    const ofA = records.find((r) => String(r.site?.line) === line)!;
    const ofB = records.find((r) => r !== ofA)!;
    expect([ofA.count, ofA.methodCalls]).toEqual([1, 5]);
    expect([ofB.count, ofB.methodCalls]).toEqual([1, 3]);
  });

  it('keeps the scoped-user check, an async member rejects instead of throwing, a detached member returns undefined', async () => {
    const m = new (aliasOf('FFP003', table))(ctx);
    expect(m.who('alice')).toBe('canonical:alice');
    expect(() => m.who('bob')).toThrow(CrossUserAccessError);
    const p = m.later('bob');
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toBeInstanceOf(CrossUserAccessError);
    await expect(m.later('alice')).resolves.toBe('canonical:alice');
    expect(m.fire('alice')).toBeUndefined();
  });

  it('a flip between two calls takes effect at the next call, also after the dispatcher ran hot', () => {
    const m = new (aliasOf('FFP004', table))(ctx);
    let last = '';
    for (let i = 0; i < 20_000; i++) last = m.who('alice');
    expect(last).toBe('canonical:alice');
    runtime.modes.set('FFP004', 'legacy'); // the on-call rollback
    expect(m.who('alice')).toBe('legacy:alice');
    expect(m.args(1, 2, 3, 4, 5)).toEqual(['legacy', 1, 2, 3, 4, 5]);
    runtime.modes.set('FFP004', 'strict');
    expect(() => m.who('alice')).toThrow(DeprecatedApiError);
    runtime.modes.set('FFP004', 'canonical');
    expect(m.who('alice')).toBe('canonical:alice');
    for (let i = 0; i < 20_000; i++) last = m.who('alice');
    runtime.modes.set('FFP004', 'legacy');
    expect(m.who('alice')).toBe('legacy:alice');
  });
});
