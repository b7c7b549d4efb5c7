/** Starts and drives test/helpers/server-instance.mjs child processes (plain node on dist/). */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One agent run an instance emits (server-instance.mjs's `run` command). */
export interface RunSpec {
  userId: string;
  runId: string;
  /** agent_thinking events between agent_started and the tool pair + agent_completed. */
  thinking: number;
  /** Pause between events, so a run is still going while the test acts. */
  stepDelayMs?: number;
  /** Characters of reasoning per agent_thinking event. Default: a short text. */
  pad?: number;
  /** 'start': only agent_started; 'finish': the rest of a run started before. Default: the whole run. */
  part?: 'all' | 'start' | 'finish';
}

/** What the test sends an instance over IPC. */
export type InstanceCommand =
  | { id: number; cmd: 'run'; runs: RunSpec[]; concurrency?: number }
  | { id: number; cmd: 'stats' }
  | { id: number; cmd: 'close' };

export interface InstanceHandle {
  readonly url: string;
  readonly pid: number;
  run(runs: RunSpec[], concurrency?: number): Promise<{ published: number; failed: string[]; ms: number }>;
  stats(): Promise<{ hub: { connections: number; framesSent: number }; bus: { buffered: number; connected: boolean; lightItems?: number; leaseRefusals?: number; packedItems?: number }; busErrors: number; serverErrors: number; refusals: number; pid: number }>;
  /** True while the process runs (it has not exited). */
  readonly alive: boolean;
  /** Graceful close; falls back to SIGKILL after 5 s. */
  close(): Promise<void>;
}

export interface InstanceEnv {
  /** 'redis' (default) or 'memory'. */
  bus?: 'redis' | 'memory';
  redisUrl?: string;
  keyPrefix?: string;
  secret: string;
  issuer: string;
  audience: string;
  reconnectMaxMs?: number;
  maxAgeMs?: number;
  readyTimeoutMs?: number;
  authFailure?: 'http' | 'close';
  /** Comma-separated origins, or '*'. Default '*'. */
  allowedOrigins?: string;
}

const entry = fileURLToPath(new URL('./server-instance.mjs', import.meta.url));

export async function startInstance(env: InstanceEnv): Promise<InstanceHandle> {
  const child: ChildProcess = fork(entry, [], {
    env: {
      ...process.env,
      SSOT_BUS: env.bus ?? 'redis',
      REDIS_URL: env.redisUrl ?? '',
      SSOT_KEY_PREFIX: env.keyPrefix ?? 'ssot:',
      SSOT_JWT_SECRET: env.secret,
      SSOT_JWT_ISSUER: env.issuer,
      SSOT_JWT_AUDIENCE: env.audience,
      SSOT_RECONNECT_MAX_MS: String(env.reconnectMaxMs ?? 200),
      SSOT_MAX_AGE_MS: env.maxAgeMs ? String(env.maxAgeMs) : '',
      SSOT_READY_TIMEOUT_MS: env.readyTimeoutMs ? String(env.readyTimeoutMs) : '',
      SSOT_AUTH_FAILURE: env.authFailure ?? 'http',
      SSOT_ALLOWED_ORIGINS: env.allowedOrigins ?? '*',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, (body: any) => void>();
  const ready = new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('instance did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`instance exited early (${code})`)));
    child.on('message', (msg: any) => {
      if (msg?.ready) {
        clearTimeout(timer);
        resolve(msg);
      } else if (typeof msg?.id === 'number') {
        waiting.get(msg.id)?.(msg);
        waiting.delete(msg.id);
      }
    });
  });
  let info: { url: string; pid: number };
  try {
    info = await ready;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const request = (body: object): Promise<any> =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error('instance is gone'));
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, ...body });
    });
  return {
    url: info.url,
    pid: info.pid,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    run: (runs, concurrency) => request({ cmd: 'run', runs, concurrency }),
    stats: () => request({ cmd: 'stats' }),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      if (child.connected) child.send({ id: 0, cmd: 'close' });
      else child.kill('SIGKILL');
      await exited;
      clearTimeout(timer);
    },
  };
}
