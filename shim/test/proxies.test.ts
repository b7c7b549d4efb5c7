import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrossUserAccessError, createConnectionHub, setDefaultHub, WebSocketManagerMode as CanonicalMode } from '../../canonical/index.js';
import type { ConnectionHub } from '../../canonical/index.js';
import * as frozenUnified from '../../examples/legacy-app/src/websocket_core/unified_manager.js';
import * as frozenAgents from '../../examples/legacy-app/src/agents/supervisor/agent_registry.js';
import { createUserExecutionContext } from '../../examples/legacy-app/src/services/user_execution_context.js';
import type { UserExecutionContext } from '../../examples/legacy-app/src/services/user_execution_context.js';
import { DeprecatedApiError, UnmappedMemberError } from '../errors.js';
import { createShimRuntime, setShimRuntime } from '../runtime.js';
import type { ShimRuntime } from '../runtime.js';
import { defineLegacyManagerAlias } from '../proxies/manager.js';
import { bindingOf } from '../proxies/templated.js';
import { canonicalUnifiedWebSocketManager } from './__fixtures__/facades/unified_manager_table.js';
const isCanonicalBacked = (v: unknown): boolean => bindingOf(v) !== undefined;
import { UnifiedWebSocketManager, WebSocketManagerMode, getWebSocketManager as getUnified } from './__fixtures__/facades/unified_manager.js';
import { WebSocketManagerFactory, getWebSocketManager, getWebSocketManagerFactory } from './__fixtures__/facades/websocket_manager_factory.js';
import { WebSocketManagerAdapter } from './__fixtures__/facades/agent_registry.js';
import { LegacyWebSocketManagerAdapter } from './__fixtures__/facades/protocols.js';
import { connect, notifyWithoutContext, runAgent } from './__fixtures__/app/agent_run.js';
import { MemorySocket } from './__fixtures__/memory-socket.js';

const FIVE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];
const APP = fileURLToPath(new URL('./__fixtures__/app/agent_run.ts', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

let runtime: ShimRuntime;
let hub: ConnectionHub;
let warnings: Array<{ message: string; code: string }>;

function useRuntime(env?: string): void {
  warnings = [];
  runtime = createShimRuntime({ ...(env ? { env } : {}), emitWarning: (message, o) => warnings.push({ message, code: o.code }) });
  setShimRuntime(runtime);
}

beforeEach(() => {
  useRuntime();
  hub = createConnectionHub();
  setDefaultHub(hub);
  frozenUnified.resetWebSocketManagerForTests();
});
afterEach(async () => {
  await runtime.close();
  setShimRuntime(undefined);
  setDefaultHub(undefined);
  await hub.close();
});

let n = 0;
function ctxFor(user: string): UserExecutionContext {
  n++;
  return createUserExecutionContext({ userId: user, threadId: `thread_${user}_${n}`, runId: `run_${user}_${n}` });
}

async function lineOf(file: string, marker: string): Promise<number> {
  return (await readFile(file, 'utf8')).split('\n').findIndex((l) => l.includes(marker)) + 1;
}

/** Lets other users' async work run between one user's events. */
const yieldTurn = () => new Promise<void>((r) => setImmediate(r));

describe('canonical mode (default)', () => {
  it('legacy-app code still delivers the five events, as canonical envelopes in order', async () => {
    const ctx = ctxFor('alice');
    const socket = new MemorySocket();
    await connect(ctx, socket);
    await runAgent(ctx);
    const frames = socket.parsed();
    expect(frames.map((f) => f.type)).toEqual(FIVE);
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(frames.every((f) => f.userId === 'alice' && f.runId === ctx.runId && f.threadId === ctx.threadId)).toBe(true);
    expect(frames[0]).toMatchObject({ agentName: 'triage' });
    expect(frames[4]).toMatchObject({ status: 'completed', finalResponse: 'done for alice' });
  });

  it('the legacy factory hands out per-user isolated managers', async () => {
    const a = getWebSocketManager(ctxFor('alice'));
    const b = getWebSocketManager(ctxFor('bob'));
    expect(a).not.toBe(b);
    expect(isCanonicalBacked(a)).toBe(true);
    expect(a.userContext?.userId).toBe('alice');
    await expect(a.sendToUser('bob', { type: 'note' })).rejects.toBeInstanceOf(CrossUserAccessError);
    expect(() => {
      a.userContext = ctxFor('bob');
    }).toThrow(CrossUserAccessError);
    expect(WebSocketManagerFactory.getInstance(ctxFor('carol'))).not.toBe(WebSocketManagerFactory.getInstance(ctxFor('carol')));
    const viaFactory = await getWebSocketManagerFactory().createManager(ctxFor('dave'));
    expect(viaFactory.userContext?.userId).toBe('dave');
    expect(isCanonicalBacked(viaFactory)).toBe(true);
  });

  it('concurrency: 30 interleaved users through the legacy factory API, 100% isolation', async () => {
    const users = Array.from({ length: 30 }, (_, i) => `user${i}`);
    const ctxs = users.map(ctxFor);
    const sockets = users.map(() => new MemorySocket());
    await Promise.all(ctxs.map((c, i) => connect(c, sockets[i]!)));
    await Promise.all(ctxs.map((c) => runAgent(c, yieldTurn)));
    for (const [i, socket] of sockets.entries()) {
      const frames = socket.parsed();
      expect(frames.map((f) => f.type)).toEqual(FIVE);
      expect(frames.every((f) => f.userId === users[i] && f.runId === ctxs[i]!.runId)).toBe(true);
      expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5]);
    }
    // A no-context caller can no longer borrow whichever run the shared manager was last bound
    // to: outside any run its lone event is refused, and nothing reaches any socket.
    await expect(notifyWithoutContext('user3', 'late note')).rejects.toMatchObject({ code: 'ERR_EVENT_ORDER' });
    expect(sockets.every((s) => s.frames.length === 5)).toBe(true);
  });

  it('instanceof works across the alias for every mode of construction', () => {
    const canonical = new UnifiedWebSocketManager();
    runtime.modes.set('WSM001', 'legacy');
    const legacy = new UnifiedWebSocketManager();
    expect(canonical).toBeInstanceOf(UnifiedWebSocketManager);
    expect(legacy).toBeInstanceOf(UnifiedWebSocketManager);
    expect(legacy).toBeInstanceOf(frozenUnified.UnifiedWebSocketManager);
    expect(getWebSocketManager(ctxFor('erin'))).toBeInstanceOf(UnifiedWebSocketManager);
    expect({}).not.toBeInstanceOf(UnifiedWebSocketManager);
    expect(UnifiedWebSocketManager.name).toBe('UnifiedWebSocketManager');
    class Sub extends UnifiedWebSocketManager {}
    expect(canonical instanceof Sub).toBe(false);
  });

  it('the duplicate enum resolves to the canonical one (same values)', () => {
    expect(WebSocketManagerMode).toBe(CanonicalMode);
    expect(WebSocketManagerMode.ISOLATED).toBe(frozenUnified.WebSocketManagerMode.ISOLATED);
  });

  it('LegacyWebSocketManagerAdapter forwards to a canonical-backed manager', async () => {
    const ctx = ctxFor('frank');
    const socket = new MemorySocket();
    const adapter = new LegacyWebSocketManagerAdapter(getWebSocketManager(ctx));
    await adapter.addConnection({ connectionId: 'c_frank', userId: 'frank', socket, connectedAt: new Date() });
    expect(adapter.isConnectionActive('frank')).toBe(true);
    await adapter.emitCriticalEvent('frank', 'agent_started', { agentName: 'x' });
    expect(socket.parsed()[0]).toMatchObject({ type: 'agent_started', seq: 1, runId: ctx.runId });
    expect(adapter).toBeInstanceOf(LegacyWebSocketManagerAdapter);
  });
});

describe('legacy mode (rollback)', () => {
  it('restores the frozen implementation, shared-instance bug included', async () => {
    runtime.modes.set('WSM010', 'legacy');
    runtime.modes.set('WSM008', 'legacy');
    const a = getWebSocketManager(ctxFor('alice'));
    const b = getWebSocketManager(ctxFor('bob'));
    // two objects (each follows the mode at its calls, follow.ts), one frozen singleton behind both
    expect(a).not.toBe(b);
    expect(a).toBeInstanceOf(frozenUnified.UnifiedWebSocketManager);
    expect(a.userContext?.userId).toBe('bob'); // rebound by the second call: the original leak
    expect(b.userContext?.userId).toBe('bob');

    const users = ['u1', 'u2', 'u3', 'u4'];
    const ctxs = users.map(ctxFor);
    const sockets = users.map(() => new MemorySocket());
    await Promise.all(ctxs.map((c, i) => connect(c, sockets[i]!)));
    await Promise.all(ctxs.map((c) => runAgent(c, yieldTurn)));
    await notifyWithoutContext('u1', 'x');
    // Legacy frames: no seq, ISO timestamp.
    expect(sockets[0]!.parsed()[0]).toHaveProperty('timestamp');
    expect(sockets[0]!.parsed()[0]).not.toHaveProperty('seq');
    const adapter = new WebSocketManagerAdapter(getWebSocketManager(ctxFor('zed')));
    expect(adapter).toBeInstanceOf(frozenAgents.WebSocketManagerAdapter);
    // The no-context caller now emits with whatever run the shared manager was last bound to.
    expect(sockets[0]!.parsed().at(-1)).toMatchObject({ type: 'agent_thinking', runId: expect.not.stringMatching(ctxs[0]!.runId) });
  });

  it('the alias constructs the frozen class', () => {
    runtime.modes.set('WSM001', 'legacy');
    const m = new UnifiedWebSocketManager(frozenUnified.WebSocketManagerMode.ISOLATED);
    // a manager that follows the mode (follow.ts): its prototype is the shim's, the frozen class's is on its chain
    expect(m).toBeInstanceOf(frozenUnified.UnifiedWebSocketManager);
    expect(frozenUnified.UnifiedWebSocketManager.prototype.isPrototypeOf(m)).toBe(true);
    expect(m.mode).toBe('isolated'); // the frozen instance's field, made with the construction's arguments
    expect(getUnified()).toBe(getUnified());
  });
});

describe('strict mode', () => {
  it('throws DeprecatedApiError naming the id, the call site and the replacement', async () => {
    useRuntime('WSM010=strict');
    const ctx = ctxFor('alice');
    const err = await connect(ctx, new MemorySocket()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeprecatedApiError);
    const e = err as DeprecatedApiError;
    expect(e.code).toBe('ERR_SSOT_DEPRECATED');
    expect(e.id).toBe('WSM010');
    expect(e.site).toMatchObject({ file: APP, line: await lineOf(APP, 'SITE_CONNECT') });
    expect(e.message).toContain('WSM010');
    expect(e.message).toContain(`agent_run.ts:${await lineOf(APP, 'SITE_CONNECT')}`);
    expect(e.message).toContain('createWebSocketManager(ctx)');
    // Other ids are untouched.
    expect(() => new UnifiedWebSocketManager()).not.toThrow();
    useRuntime('*=strict');
    expect(() => new UnifiedWebSocketManager()).toThrow(/WSM001/);
  });
});

describe('shadow mode', () => {
  it('serves from legacy, runs canonical against captured sockets, sends nothing twice, no mismatch on a faithful run', async () => {
    useRuntime('WSM010=shadow,WSM008=shadow');
    const ctx = ctxFor('alice');
    const socket = new MemorySocket();
    await connect(ctx, socket);
    await runAgent(ctx);
    const frames = socket.parsed();
    expect(frames.map((f) => f.type)).toEqual(FIVE);
    expect(frames[0]).toHaveProperty('timestamp'); // the legacy side served
    expect(socket.frames).toHaveLength(5); // exactly once each
    expect(runtime.shadow.calls).toBeGreaterThan(0);
    expect(runtime.shadow.mismatches()).toEqual([]);
  });

  it('reports an injected mismatch in the frames each side would send', async () => {
    useRuntime('WSMX1=shadow');
    // A legacy implementation that drifted: it adds a field canonical does not send.
    class Drifted extends frozenUnified.UnifiedWebSocketManager {
      override async emitCriticalEvent(userId: string, eventType: string, data: Record<string, unknown>): Promise<void> {
        await super.emitCriticalEvent(userId, eventType, { ...data, legacyOnly: true });
      }
    }
    const Alias = defineLegacyManagerAlias({ id: 'WSMX1', symbol: 'DriftedManager', replacement: 'createWebSocketManager(ctx)' }, Drifted, { canonical: canonicalUnifiedWebSocketManager });
    const ctx = ctxFor('bob');
    const m = new Alias(frozenUnified.WebSocketManagerMode.UNIFIED, ctx);
    const socket = new MemorySocket();
    await m.connectUser('bob', socket, 'c_bob');
    await m.sendToUser('bob', { type: 'note', text: 'same on both sides' });
    expect(runtime.shadow.mismatches()).toEqual([]);
    await m.emitCriticalEvent('bob', 'agent_started', { agentName: 'triage' });
    const [mismatch] = runtime.shadow.mismatches();
    expect(mismatch).toMatchObject({ id: 'WSMX1', op: 'emitCriticalEvent', primarySide: 'legacy' });
    expect(mismatch!.primary.join()).toContain('legacyOnly');
    expect(mismatch!.shadow.join()).not.toContain('legacyOnly');
    expect(mismatch!.shadow.join()).toContain('"agentName":"triage"');
    expect(mismatch!.site?.file).toBe(THIS_FILE);
    expect(socket.frames).toHaveLength(2); // the real socket saw each send once
    expect(hub.stats().framesSent).toBe(0); // the canonical side never touched the real hub
  });

  it('the serving legacy side gets the socket itself: its own methods and fields work, the shadow side never reaches it', async () => {
    useRuntime('WSMX3=shadow');
    /** A socket with more than send: an event emitter's on(), a field the app reads. */
    class ListeningSocket extends MemorySocket {
      readonly listeners: string[] = [];
      label = 'real';
      on(event: string, _fn: () => void): this {
        this.listeners.push(event);
        return this;
      }
    }
    // legacy code that listens on the socket and tags it, as real managers do (a TypeError here used to break the served call)
    class Listening extends frozenUnified.UnifiedWebSocketManager {
      override async connectUser(userId: string, socket: frozenUnified.SocketLike, connectionId?: string): Promise<string> {
        const s = socket as unknown as ListeningSocket;
        s.on('close', () => undefined);
        s.label = `${s.label}:${userId}`;
        return super.connectUser(userId, socket, connectionId);
      }
    }
    const Alias = defineLegacyManagerAlias({ id: 'WSMX3', symbol: 'ListeningManager', replacement: 'createWebSocketManager(ctx)' }, Listening, { canonical: canonicalUnifiedWebSocketManager });
    const m = new Alias(frozenUnified.WebSocketManagerMode.UNIFIED, ctxFor('dora'));
    const socket = new ListeningSocket();
    await m.connectUser('dora', socket, 'c_dora');
    await m.sendToUser('dora', { type: 'note' });
    expect(socket.listeners).toEqual(['close']);
    expect(socket.label).toBe('real:dora');
    expect(socket.frames).toHaveLength(1);
    expect(runtime.shadow.mismatches()).toEqual([]);
  });

  it('with a canonical primary the legacy side runs on a fresh frozen manager', async () => {
    useRuntime('WSM010=shadow');
    const ctx = ctxFor('carol');
    const socket = new MemorySocket();
    const shared = frozenUnified.getWebSocketManager();
    const other = new MemorySocket();
    await shared.connectUser('carol', other, 'c_shared'); // a real socket in the frozen singleton
    const { getWebSocketManager: routedGet } = await import('./__fixtures__/facades/websocket_manager_factory.js');
    void routedGet;
    const { defineLegacyManagerFunction } = await import('../proxies/manager.js');
    const get = defineLegacyManagerFunction(
      { id: 'WSM010', symbol: 'getWebSocketManager', replacement: 'createWebSocketManager(ctx)' },
      (c?: UserExecutionContext) => {
        const m = frozenUnified.getWebSocketManager();
        if (c) m.userContext = c;
        return m;
      },
      { shadowPrimary: 'canonical', canonical: canonicalUnifiedWebSocketManager, frozenManager: frozenUnified.UnifiedWebSocketManager },
    );
    const m = get(ctx);
    await m.connectUser('carol', socket, 'c_carol');
    await m.emitCriticalEvent('carol', 'agent_started', { agentName: 'a', runId: ctx.runId, threadId: ctx.threadId });
    expect(socket.parsed()[0]).toMatchObject({ type: 'agent_started', seq: 1 }); // canonical served
    expect(other.frames).toHaveLength(0); // the frozen singleton's real socket was never used
    expect(runtime.shadow.mismatches()).toEqual([]);
  });
});

describe('toggles file flip mid-run', () => {
  it('changes routing without restart for new managers and for live ones at their next call', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { setToggle } = await import('../toggles-file.js');
    const dir = await mkdtemp(join(tmpdir(), 'ssot-flip-'));
    const file = join(dir, 'toggles.json');
    await runtime.close();
    runtime = createShimRuntime({ togglesFile: file, togglesWatch: { pollMs: 100 }, emitWarning: () => {} });
    setShimRuntime(runtime);
    try {
      const ctx = ctxFor('alice');
      const socket = new MemorySocket();
      await connect(ctx, socket);
      const before = getWebSocketManager(ctx);
      await before.emitCriticalEvent('alice', 'agent_started', { agentName: 'a' });

      await setToggle(file, 'WSM010', 'legacy');
      const start = Date.now();
      while (runtime.modes.get('WSM010') !== 'legacy') {
        if (Date.now() - start > 10_000) throw new Error('flip not observed');
        await new Promise((r) => setTimeout(r, 20));
      }
      const after = getWebSocketManager(ctx);
      expect(isCanonicalBacked(before)).toBe(false); // it follows: no canonical binding while legacy serves
      expect(after).toBeInstanceOf(frozenUnified.UnifiedWebSocketManager);
      expect(before).toBeInstanceOf(frozenUnified.UnifiedWebSocketManager); // it follows: legacy serves it now
      // The manager made before the flip is served by legacy at its next call. This fixture's table has no
      // registration members, so the frozen singleton never saw alice's socket: canonical writes nothing more
      // (no seq 2) and the legacy side has no socket to write to (flip-managers.test.ts covers registration).
      await before.emitCriticalEvent('alice', 'agent_thinking', { reasoning: 'r' });
      expect(socket.parsed().map((f) => f.seq)).toEqual([1]);
      expect(runtime.modes.flips()).toContainEqual(expect.objectContaining({ id: 'WSM010', from: 'canonical', to: 'legacy', source: 'file' }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('telemetry through the proxies', () => {
  it('attributes construction and calls to the caller file:line, counts method calls, warns once per site', async () => {
    const ctx = ctxFor('alice');
    await connect(ctx, new MemorySocket());
    await runAgent(ctx);
    await runAgent(ctxFor('alice'));
    const records = runtime.telemetry.snapshot();
    const run = records.find((r) => r.id === 'WSM010' && r.site?.function === 'runAgent');
    expect(run).toBeDefined();
    expect(run!.site).toMatchObject({ file: APP, line: await lineOf(APP, 'SITE_RUN') });
    expect(run!.count).toBe(2);
    const adapter = records.find((r) => r.id === 'WSM008');
    expect(adapter!.site).toMatchObject({ file: APP, line: await lineOf(APP, 'SITE_ADAPTER') });
    expect(adapter!.count).toBe(2);
    expect(adapter!.methodCalls).toBe(10);
    const connectRec = records.find((r) => r.id === 'WSM010' && r.site?.function === 'connect');
    expect(connectRec!.site!.line).toBe(await lineOf(APP, 'SITE_CONNECT'));
    expect(connectRec!.methodCalls).toBeGreaterThanOrEqual(1);
    // One warning per (id, site), code = id.
    expect(warnings.filter((w) => w.code === 'WSM008')).toHaveLength(1);
    expect(warnings.filter((w) => w.code === 'WSM010')).toHaveLength(2);
    expect(warnings[0]!.message).toContain('agent_run.ts');
  });

  it('a broken sink never breaks a call', async () => {
    const { mkdtemp, rm, mkdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'ssot-sink-'));
    const blocked = join(dir, 'telemetry.jsonl');
    await mkdir(blocked);
    const reports: unknown[] = [];
    await runtime.close();
    runtime = createShimRuntime({ telemetryFile: blocked, sink: { intervalMs: 0, flushOnExit: false, onError: (e) => reports.push(e) }, emitWarning: () => {} });
    setShimRuntime(runtime);
    try {
      const ctx = ctxFor('alice');
      const socket = new MemorySocket();
      await connect(ctx, socket);
      expect(await runtime.sink!.flush()).toBe(false);
      await runAgent(ctx);
      expect(await runtime.sink!.flush()).toBe(false);
      expect(socket.frames).toHaveLength(5);
      expect(reports).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a facade without a member table', () => {
  const spec = { id: 'WSMX2', symbol: 'UntabledManager', replacement: 'createWebSocketManager(ctx)' };
  it('defaults its id to legacy mode: the frozen class serves', async () => {
    const Alias = defineLegacyManagerAlias(spec, frozenUnified.UnifiedWebSocketManager);
    const m = new Alias(frozenUnified.WebSocketManagerMode.UNIFIED, ctxFor('erin'));
    expect(Object.getPrototypeOf(m)).toBe(frozenUnified.UnifiedWebSocketManager.prototype);
    expect(bindingOf(m)).toBeUndefined();
    expect(m instanceof Alias).toBe(true);
    const { defineLegacyManagerFunction } = await import('../proxies/manager.js');
    const get = defineLegacyManagerFunction({ ...spec, symbol: 'getUntabled' }, frozenUnified.getWebSocketManager);
    expect(get()).toBe(frozenUnified.getWebSocketManager());
  });

  it('canonical or shadow mode throws UnmappedMemberError naming the id and the entry point, never a TypeError', async () => {
    const Alias = defineLegacyManagerAlias(spec, frozenUnified.UnifiedWebSocketManager);
    const { defineLegacyManagerFunction } = await import('../proxies/manager.js');
    const get = defineLegacyManagerFunction({ ...spec, symbol: 'getUntabled' }, frozenUnified.getWebSocketManager);
    // A table without the class it describes cannot build the object either.
    const half = defineLegacyManagerFunction({ ...spec, symbol: 'getHalf' }, frozenUnified.getWebSocketManager, { canonical: canonicalUnifiedWebSocketManager });
    for (const mode of ['canonical', 'shadow']) {
      useRuntime(`WSMX2=${mode}`);
      const attempts: [() => unknown, RegExp][] = [
        [() => new Alias(), /WSMX2: new UntabledManager\(\) in (canonical|shadow) mode: no canonical-mode object/],
        [() => get(), /WSMX2: getUntabled\(\) in (canonical|shadow) mode: no canonical-mode object/],
        [() => half(), /getHalf\(\).*needs frozenManager/],
      ];
      for (const [attempt, message] of attempts) {
        let error: unknown;
        try {
          attempt();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(UnmappedMemberError);
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).toMatch(/run WSMX2 in legacy mode/);
      }
    }
  });

  it('a facade-set defaultMode still applies', () => {
    const Alias = defineLegacyManagerAlias({ ...spec, id: 'WSMX3' }, frozenUnified.UnifiedWebSocketManager, { defaultMode: 'strict' });
    expect(() => new Alias()).toThrow(DeprecatedApiError);
  });
});

describe('templated objects behave like the legacy class at its edges', () => {
  it('an async legacy method rejects (never throws synchronously); assigning the context property rebinds, another user is refused', async () => {
    const m = new UnifiedWebSocketManager(WebSocketManagerMode.UNIFIED, ctxFor('frank'));
    const sent = m.sendToUser('gina', { type: 'note' });
    await expect(sent).rejects.toBeInstanceOf(CrossUserAccessError);
    const same = ctxFor('frank');
    m.userContext = same;
    expect(m.userContext).toBe(same);
    expect(() => {
      m.userContext = ctxFor('gina');
    }).toThrow(CrossUserAccessError);
    expect(() => {
      (m as unknown as { mode: string }).mode = 'x';
    }).toThrow(UnmappedMemberError);
  });
});
