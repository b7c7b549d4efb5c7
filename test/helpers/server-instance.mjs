/**
 * One canonical server process for the multi-process tests (and anything else that must see a
 * server as a separate process: "no process exit" can only be checked from outside). Listens on
 * an ephemeral loopback port; its hub uses the Redis bus (SSOT_BUS=redis, the default) or the
 * in-memory bus (SSOT_BUS=memory). Driven over the Node IPC channel: `run` emits agent runs
 * from this instance, `stats` reports, `close` shuts down.
 * Env: REDIS_URL, SSOT_KEY_PREFIX, SSOT_JWT_SECRET, SSOT_JWT_ISSUER, SSOT_JWT_AUDIENCE; optional
 * SSOT_BUS, SSOT_MAX_AGE_MS, SSOT_READY_TIMEOUT_MS, SSOT_STARTUP_TIMEOUT_MS (default 20 s), SSOT_RECONNECT_MAX_MS, SSOT_AUTH_FAILURE,
 * SSOT_ALLOWED_ORIGINS (comma-separated, or *).
 * Plain node on the built canonical modules (dist/, as an installed package's server runs them; the tests'
 * global setup rebuilds dist/ when a source is newer), not the sources through tsx: ~0.4 CPU-s less a start.
 * The commands and run specs it takes are typed in server-instances.ts (RunSpec, InstanceCommand).
 */
import { ConnectionHub, createMemoryBus, createUserExecutionContext, createWebSocketManager, createWebSocketServer } from '../../dist/canonical/index.js';
import { RedisBus } from '../../dist/canonical/bus/redis.js';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`instance: ${name} is not set`);
  return v;
};
const optionalInt = (name) => (process.env[name] ? Number(process.env[name]) : undefined);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let busErrors = 0;
let serverErrors = 0;
let refusals = 0;

const redisBus =
  (process.env.SSOT_BUS ?? 'redis') === 'redis'
    ? new RedisBus({
        url: env('REDIS_URL'),
        keyPrefix: env('SSOT_KEY_PREFIX'),
        reconnectMaxMs: optionalInt('SSOT_RECONNECT_MAX_MS') ?? 2000,
        ...(optionalInt('SSOT_MAX_AGE_MS') ? { maxAgeMs: optionalInt('SSOT_MAX_AGE_MS') } : {}),
        ...(optionalInt('SSOT_READY_TIMEOUT_MS') ? { readyTimeoutMs: optionalInt('SSOT_READY_TIMEOUT_MS') } : {}),
        onError: () => void busErrors++,
      })
    : undefined;
const bus = redisBus ?? createMemoryBus(optionalInt('SSOT_MAX_AGE_MS') ? { replay: { maxAgeMs: optionalInt('SSOT_MAX_AGE_MS') } } : {});
const hub = new ConnectionHub({ bus });
const origins = process.env.SSOT_ALLOWED_ORIGINS ?? '*';
const server = await createWebSocketServer({
  hub,
  port: 0,
  host: '127.0.0.1',
  auth: { key: new TextEncoder().encode(env('SSOT_JWT_SECRET')), algorithms: ['HS256'], issuer: env('SSOT_JWT_ISSUER'), audience: env('SSOT_JWT_AUDIENCE') },
  allowedOrigins: origins === '*' ? '*' : origins.split(','),
  authFailure: process.env.SSOT_AUTH_FAILURE === 'close' ? 'close' : 'http',
  heartbeatIntervalMs: 60_000,
  onError: () => void serverErrors++,
  onRefusal: () => void refusals++,
});
if (redisBus) await startupReady(redisBus, optionalInt('SSOT_STARTUP_TIMEOUT_MS') ?? 20_000);

/**
 * Waits for both Redis connections before announcing the instance. `ready()` gives up after
 * readyTimeoutMs, which the outage tests set short (a read must fail fast), so a loaded machine can
 * miss one window: retry up to a bound of its own, below the parent's 30 s start timeout. Past it,
 * the failure is reported (stderr, and the IPC channel) and the process exits with code 1 — never
 * an unhandled rejection.
 */
async function startupReady(rb, boundMs) {
  const deadline = Date.now() + boundMs;
  for (;;) {
    try {
      await rb.ready();
      return;
    } catch (err) {
      if (Date.now() < deadline) {
        await sleep(50); // `ready()` rejects at once on an ended connection: no busy loop
        continue;
      }
      const message = `instance: Redis not ready within ${boundMs} ms: ${err.message}`;
      console.error(message);
      process.send?.({ failed: message });
      process.exitCode = 1;
      await Promise.race([Promise.allSettled([server.close(), hub.close(), bus.close()]), sleep(2000)]);
      process.exit(1);
    }
  }
}

async function emitRun(spec) {
  const m = createWebSocketManager(createUserExecutionContext({ userId: spec.userId, threadId: `th-${spec.userId}`, runId: spec.runId }), { hub });
  const part = spec.part ?? 'all';
  const pause = async () => {
    if (spec.stepDelayMs) await sleep(spec.stepDelayMs);
  };
  let n = 0;
  if (part !== 'finish') {
    await m.emit('agent_started', { agentName: 'triage' });
    n++;
  }
  if (part === 'start') return n;
  for (let i = 0; i < spec.thinking; i++) {
    await pause();
    await m.emit('agent_thinking', { reasoning: spec.pad ? `${i} ${'r'.repeat(spec.pad)}` : `step ${i}` });
    n++;
  }
  await pause();
  await m.emit('tool_executing', { toolName: 'search', parameters: { q: spec.runId } });
  await m.emit('tool_completed', { toolName: 'search', results: ['r'], durationMs: 1 });
  await pause();
  await m.emit('agent_completed', { status: 'success', finalResponse: `done ${spec.runId}` });
  return n + 3;
}

async function runAll(runs, concurrency) {
  let next = 0;
  let published = 0;
  const failed = [];
  const worker = async () => {
    while (next < runs.length) {
      const spec = runs[next++];
      try {
        const n = await emitRun(spec); // not `published += await …`: that would add to a stale value
        published += n;
      } catch (err) {
        failed.push(`${spec.runId}: ${err.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { published, failed };
}

process.on('message', (msg) => {
  const reply = (body) => process.send?.({ id: msg.id, ...body });
  if (msg.cmd === 'run') {
    const started = performance.now();
    void runAll(msg.runs, msg.concurrency ?? 50).then((r) => reply({ ...r, ms: performance.now() - started }));
  } else if (msg.cmd === 'stats') {
    reply({ hub: hub.stats(), bus: redisBus?.stats() ?? { buffered: 0, connected: true }, busErrors, serverErrors, refusals, pid: process.pid });
  } else if (msg.cmd === 'close') {
    void (async () => {
      await server.close();
      await hub.close();
      await bus.close();
      reply({ closed: true });
      process.disconnect?.();
      setTimeout(() => process.exit(0), 50).unref();
    })();
  }
});
process.on('disconnect', () => process.exit(0)); // the test process went away: do not linger

process.send?.({ ready: true, url: server.url(), pid: process.pid });
