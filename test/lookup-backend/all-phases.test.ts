/**
 * `run --all` on a backend whose lookup hands out raw sockets (test/lookup-backend/app.ts:
 * `getConnection(userId)!.send(JSON.stringify(frame))`, the JeLLek1/PIM-chess-app shape), a real git
 * repo, its manifest giving the lookup a plain template and a chain on what it returns
 * (`functions[].templates["getConnection.send"]`). Every phase one verified commit (the app's own
 * typecheck and loopback tests); remove-adapters turns each `.send` on the looked-up socket into the
 * hub's `sendToUser` (a `?.` keeps its test), the other uses into the socket the hub registered.
 * Then the difference that makes: two instances of the app on one real redis-server bus, a real
 * client of user bob on instance B, `notify('bob', …)` called on instance A — before the migration
 * A has no socket for bob (the assertion throws, bob gets nothing); after it, the send goes through
 * the hub and the bus, and bob's client on B receives it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { git, makeLinkedBackendRepo } from '../helpers/git-repo.js';
import { expectEveryPhaseCommitted, expectLegacyRemoved, migrateEveryPhase, type PhasedMigration } from '../helpers/phased-migration.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { APP_FILES, appManifest } from './app.js';
import { unhoisted } from '../helpers/hub-hoist.js';

const REASON = 'a generated test backend: never deployed, no process to observe';

let repo = '';
let redis: RedisServerHandle;
let m: PhasedMigration;
let before: CrossInstance;

interface CrossInstance {
  /** What instance A answered to notify('bob', …). */
  reply: { ok: boolean; error?: string };
  /** The frames bob's client on instance B received. */
  frames: Array<Record<string, unknown>>;
}

/** One app instance (scripts/instance.ts) on the Redis bus, driven over IPC. */
async function instance(prefix: string): Promise<{ port: number; ask(msg: Record<string, unknown>): Promise<Record<string, unknown>>; stop(): void; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/instance.ts'], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, REDIS_URL: redis.url, SSOT_KEY_PREFIX: prefix } });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (msg) => resolve((msg as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`instance exited ${code}: ${stderr}`)));
  });
  let next = 0;
  return {
    port,
    child,
    ask: (msg) =>
      new Promise((resolve) => {
        const id = ++next;
        const on = (reply: unknown) => {
          if ((reply as { id?: number }).id !== id) return;
          child.off('message', on);
          resolve(reply as Record<string, unknown>);
        };
        child.on('message', on);
        child.send({ ...msg, id });
      }),
    stop: () => void child.kill('SIGTERM'),
  };
}

/** bob on instance B, notify('bob', …) on instance A: what A says and what bob receives. */
async function crossInstance(prefix: string): Promise<CrossInstance> {
  const [a, b] = await Promise.all([instance(prefix), instance(prefix)]);
  try {
    const bob = new WebSocket(`ws://127.0.0.1:${b.port}/?userId=bob`);
    const frames: Array<Record<string, unknown>> = [];
    bob.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    await new Promise<void>((resolve, reject) => bob.once('open', () => resolve()).once('error', reject));
    for (let i = 0; i < 100 && (await b.ask({ cmd: 'online', userId: 'bob' }))['online'] !== true; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await b.ask({ cmd: 'online', userId: 'bob' }))['online']).toBe(true);
    const reply = (await a.ask({ cmd: 'notify', userId: 'bob', frame: { type: 'move', square: 'e4' } })) as CrossInstance['reply'];
    for (let i = 0; i < 250 && frames.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    bob.close();
    return { reply, frames };
  } finally {
    a.stop();
    b.stop();
  }
}

beforeAll(async () => {
  redis = await startRedisServer();
  repo = makeLinkedBackendRepo('lookup-backend-', { ...APP_FILES, 'ssot.config.json': `${JSON.stringify(appManifest(), null, 2)}\n` });
  before = await crossInstance('before:');
  m = await migrateEveryPhase(repo, { withoutTelemetry: REASON, facadeFile: 'src/connections.ts' });
}, 900_000);

afterAll(async () => {
  await redis?.dispose();
  if (repo && process.env['SSOT_KEEP_E2E'] !== '1') rmSync(repo, { recursive: true, force: true });
});

describe('run --all on a backend whose lookup hands out sockets (chain templates)', () => {
  it('commits every phase, each verified by the app own typecheck and its 2 loopback tests', () => {
    expectEveryPhaseCommitted(m, /typecheck 0->0 errors; tests 2\/2 passed -> 2\/2 passed/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('strangle serves the lookup itself from its plain template (a facade cannot see the chains)', () => {
    expect(m.facade).toContain("export const getConnection = defineLegacyFreeFunction(spec('LKB001', 'getConnection'), frozen.getConnection,");
    expect(m.facade).not.toContain('defaultMode');
  });

  it('remove-adapters: each send on the looked-up socket is the hub`s sendToUser (`?.` tested), the other uses the registered socket; 100%, nothing marked', () => {
    const ra = m.byPhase('remove-adapters');
    expect(ra.compliance?.after).toBe(100);
    expect(ra.needsReview ?? []).toEqual([]);
    const notify = unhoisted(readFileSync(path.join(repo, 'src/notify.ts'), 'utf8'));
    expect(notify).toContain('  hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(frame)));\n');
    expect(notify).toContain("  ((hubOperations().hub.getConnection(userId)?.socket as import('ws').WebSocket | undefined) == null ? undefined : hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(frame))));\n");
    expect(notify).toContain("(hubOperations().hub.getConnection(userId)?.socket as import('ws').WebSocket | undefined)?.close();");
    expect(notify).not.toMatch(/\.send\(|connections/);
  });

  it('remove-shim deletes the legacy module: no TODO(ssot), no legacy import left', () => {
    expectLegacyRemoved(m, repo, 'src/connections.ts', ['src/notify.ts', 'src/server.ts', 'test/notify.test.ts']);
  });

  it('before: a send on instance A to bob (connected to B) finds no socket there — the raw socket send never reaches the bus', () => {
    expect(before.reply.ok).toBe(false);
    expect(before.reply.error).toMatch(/TypeError/);
    expect(before.frames).toEqual([]);
  });

  it('after: the same send goes through the hub and the real Redis bus, and bob`s client on instance B receives it', async () => {
    const after = await crossInstance('after:');
    expect(after.reply).toMatchObject({ ok: true });
    expect(after.frames).toMatchObject([{ type: 'move', square: 'e4' }]);
  }, 60_000);
});
