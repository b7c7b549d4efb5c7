/**
 * redis-server's instructions per event for the redis-bus bench's workload (two hubs, 200 users × 50
 * awaited events), counted by valgrind's callgrind: unlike CPU time on a shared machine, an instruction
 * count does not move with the load (±1% between runs of one tree), so a change of the append script of
 * ~1% can be read from a few runs. The harness of issue 21 redis16/redis18/redis24 (canonical/bus/README.md):
 * a redis-server under `valgrind --tool=callgrind`, the two buses and 200 sockets built once, 3 warm-up
 * trials, the counters zeroed (`callgrind_control -z`), N counted trials (default 2, `CG_TRIALS`), dumped.
 * A run now and then reads 2-3× the others: under valgrind a trial lasts seconds, and a user's periodic
 * general item (its TTL refresh, every refresh interval, with its checkpoint's read-back) fell in it —
 * compare medians of alternated runs, and name such runs rather than average them.
 *   node --import tsx bench/redis-bus-callgrind.ts <checkout> [script|pipelined]
 * Prints `<checkout> <mode>: <n> instructions per event (<callgrind file>)`; the file is kept for
 * `callgrind_annotate --inclusive=yes --tree=calling <file>` (redis-server is stripped: Lua's own functions
 * show as addresses).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { attachSockets, emitRuns, EVENTS } from './redis-bus-workload.js';

const root = path.resolve(process.argv[2] ?? '.');
const leanAppends = (process.argv[3] ?? 'script') as 'script' | 'pipelined';
const trials = Number(process.env.CG_TRIALS ?? 2);

/** The checkout's modules, typed loosely (another tree's types need not match this one's). */
const canon = (await import(`${root}/canonical/index.ts`)) as typeof import('../canonical/index.js');
const { RedisBus } = (await import(`${root}/canonical/bus/redis.ts`)) as typeof import('../canonical/bus/redis.js');

// startRedisServer runs REDIS_SERVER_BIN: a wrapper that runs redis-server under callgrind.
const dir = mkdtempSync(path.join(tmpdir(), 'ssot-callgrind-'));
const wrapper = path.join(dir, 'redis-server');
writeFileSync(wrapper, `#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=${dir}/cg.out.%p redis-server "$@"\n`, { mode: 0o755 });
process.env.REDIS_SERVER_BIN = wrapper;
const redis = await startRedisServer();
const info = new Redis(redis.url);
const pid = /process_id:(\d+)/.exec(await info.info('server'))?.[1];
if (!pid) throw new Error('no process_id in INFO server');

const busA = new RedisBus({ url: redis.url, keyPrefix: 'b:', leanAppends });
const busB = new RedisBus({ url: redis.url, keyPrefix: 'b:', leanAppends });
const hubA = new canon.ConnectionHub({ bus: busA });
const hubB = new canon.ConnectionHub({ bus: busB });
await Promise.all([busA.ready(), busB.ready()]);
const sockets = attachSockets(hubA, 'c');
await new Promise((r) => setTimeout(r, 500));

async function trial(t: number): Promise<void> {
  const done = sockets.next();
  await emitRuns(canon, hubB, `r${t}-`);
  await done;
}

try {
  for (let t = 0; t < 3; t++) await trial(t);
  execFileSync('callgrind_control', ['-z', pid], { stdio: 'ignore' });
  for (let t = 3; t < 3 + trials; t++) await trial(t);
  execFileSync('callgrind_control', ['-d', 'counted', pid], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  // The dump of `-d`: cg.out.<pid>.<n> (the file without a suffix is written when redis-server exits).
  const dump = readdirSync(dir).filter((f) => f.startsWith(`cg.out.${pid}.`)).sort().at(-1);
  if (!dump) throw new Error(`no callgrind dump in ${dir}`);
  const file = path.join(dir, dump);
  const text = readFileSync(file, 'utf8');
  const ir = Number(/^summary: (\d+)/m.exec(text)?.[1] ?? /^totals: (\d+)/m.exec(text)?.[1]);
  console.log(`${root} ${leanAppends}: ${(ir / (trials * EVENTS)).toFixed(0)} instructions per event (${file})`);
} finally {
  await hubA.close();
  await hubB.close();
  await Promise.all([busA.close(), busB.close()]);
  info.disconnect();
  await redis.dispose();
}
