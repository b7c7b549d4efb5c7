// test/helpers/server-instance.mjs at startup: Redis slower than readyTimeoutMs is waited for (within
// a bound of its own); Redis never reachable is a reported failure and exit 1, not an unhandled rejection.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedisServer } from '../helpers/redis-server.js';
import type { RedisServerHandle } from '../helpers/redis-server.js';

const entry = fileURLToPath(new URL('../helpers/server-instance.mjs', import.meta.url));

interface Outcome {
  code: number | null;
  stderr: string;
  messages: Record<string, unknown>[];
}

/** Forks an instance, waits for its first IPC message (ready or failed), closes it if ready. */
function runInstance(redisUrl: string, extraEnv: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = fork(entry, [], {
      env: {
        ...process.env,
        SSOT_BUS: 'redis',
        REDIS_URL: redisUrl,
        SSOT_KEY_PREFIX: 'startup:',
        SSOT_JWT_SECRET: 'startup-secret-startup-secret-32b',
        SSOT_JWT_ISSUER: 'iss',
        SSOT_JWT_AUDIENCE: 'aud',
        SSOT_RECONNECT_MAX_MS: '100',
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const out: Outcome = { code: null, stderr: '', messages: [] };
    child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
    child.on('message', (m) => {
      out.messages.push(m as Record<string, unknown>);
      if ((m as { ready?: boolean }).ready) child.send({ id: 1, cmd: 'close' });
    });
    child.on('exit', (code) => {
      out.code = code;
      resolve(out);
    });
  });
}

let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.dispose();
});

describe('server instance startup against Redis', () => {
  it('Redis never reachable: the failure is reported (stderr and IPC) and the process exits with 1 — no unhandled rejection', async () => {
    const port = await freePort(); // nothing listens there
    const out = await runInstance(`redis://127.0.0.1:${port}`, { SSOT_READY_TIMEOUT_MS: '100', SSOT_STARTUP_TIMEOUT_MS: '800' });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('Redis not ready within 800 ms');
    expect(out.stderr).not.toMatch(/unhandled|triggerUncaughtException/i);
    expect(out.messages).toEqual([{ failed: expect.stringContaining('Redis not ready within 800 ms') }]);
  }, 30_000);

  it('Redis that comes up after several readyTimeoutMs windows: the instance waits, then starts and closes cleanly', async () => {
    await redis.stop();
    const started = runInstance(redis.url, { SSOT_READY_TIMEOUT_MS: '100', SSOT_STARTUP_TIMEOUT_MS: '20000' });
    await new Promise((r) => setTimeout(r, 3000)); // past the instance's start-up (tsx) and many 100 ms windows
    await redis.start();
    const out = await started;
    expect(out.messages[0]).toMatchObject({ ready: true });
    expect(out.code).toBe(0);
  }, 30_000);
});
