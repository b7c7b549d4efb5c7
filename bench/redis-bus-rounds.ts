/**
 * Where redis-server's time goes per round of the redis-bus bench's workload (two hubs, 200 users × one
 * run of 50 events): the rounds run in lockstep here (every run's event k, then k + 1), so each round's
 * redis-server CPU (INFO cpu) and wall time per event can be read apart — the first round (agent_started:
 * full items, a new run each), the steady rounds (lean items) and the last (agent_completed: full items).
 * `INFO commandstats` of the trials' first, a middle and last rounds gives the commands (script calls and
 * those called from them) per event. In the bench's own flow the rounds overlap (two calls in flight), so
 * only the first and last rounds' costs add up as they do here.
 * As the bench since issue 21 redis10, the two buses, their hubs and the 200 subscriptions are built once
 * and every trial emits 200 new runs of the same users (each user's stream and write lease carry over
 * from one trial to the next); `fresh` builds them per trial under a new key prefix instead (every
 * trial's first round then also creates the users: the bench before redis10).
 *   node --import tsx bench/redis-bus-rounds.ts [trials=3] [fresh]   (under `chrt -r 1` on a shared machine)
 */
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { ConnectionHub, createUserExecutionContext, createWebSocketManager } from '../canonical/index.js';
import { RedisBus } from '../canonical/bus/redis.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { redisCpuSeconds } from './redis-cpu.js';

const USERS = 200;
const THINKING = 48;
const TRIALS = Number(process.argv[2] ?? 3);
const FRESH = process.argv[3] === 'fresh';

const redis = await startRedisServer();
const info = new Redis(redis.url);
/** Calls per event of each command since the last RESETSTAT (the script's own calls included). */
async function commandsPerEvent(): Promise<string> {
  const lines = (await info.info('commandstats')).split('\n').filter((l) => l.startsWith('cmdstat_'));
  return lines
    .map((l) => /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(l)!)
    .filter((m) => !/^(info|config|ping)/.test(m[1]!))
    .map((m) => `${m[1]} ${(Number(m[2]) / USERS).toFixed(2)}× ${(Number(m[3]) / USERS).toFixed(1)} µs`)
    .join(', ');
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const rows: { first: number[]; steady: number[]; last: number[]; firstWall: number[]; steadyWall: number[]; lastWall: number[] } = {
  first: [], steady: [], last: [], firstWall: [], steadyWall: [], lastWall: [],
};
async function setUp(keyPrefix: string) {
  const busA = new RedisBus({ url: redis.url, keyPrefix });
  const busB = new RedisBus({ url: redis.url, keyPrefix });
  const hubA = new ConnectionHub({ bus: busA });
  const hubB = new ConnectionHub({ bus: busB });
  await Promise.all([busA.ready(), busB.ready()]);
  for (let u = 0; u < USERS; u++) hubA.addConnection({ connectionId: `c${u}`, userId: `user-${u}`, socket: { readyState: 1, send() {} }, connectedAt: new Date() });
  await new Promise((r) => setTimeout(r, 200)); // the SUBSCRIBEs take effect
  return {
    hubB,
    async close() {
      await hubA.close();
      await hubB.close();
      await Promise.all([busA.close(), busB.close()]);
    },
  };
}
let shared = FRESH ? undefined : await setUp('rounds:');
console.log(`buses ${FRESH ? 'built per trial (new users each trial)' : 'built once (new runs of the same users each trial, as the bench)'}`);
for (let t = 0; t <= TRIALS; t++) {
  const setup = shared ?? (await setUp(`rounds${t}:`));
  const { hubB } = setup;
  const managers = Array.from({ length: USERS }, (_, u) =>
    createWebSocketManager(createUserExecutionContext({ userId: `user-${u}`, threadId: `th-${u}`, runId: `r${t}-${u}` }), { hub: hubB }),
  );
  const steady: number[] = [];
  const steadyWall: number[] = [];
  const stats: string[] = [];
  const round = async (name: string, emit: (m: (typeof managers)[number]) => Promise<unknown>, keepStats: boolean) => {
    if (keepStats) await info.config('RESETSTAT');
    const r0 = await redisCpuSeconds(info);
    const w0 = performance.now();
    await Promise.all(managers.map(emit));
    const wall = ((performance.now() - w0) * 1000) / USERS;
    const us = (((await redisCpuSeconds(info)) - r0) * 1e6) / USERS;
    if (keepStats) stats.push(`${name}: ${await commandsPerEvent()}`);
    return { us, wall };
  };
  const first = await round('first round (agent_started)', (m) => m.emit('agent_started', { agentName: 'bench' }), t === TRIALS);
  for (let i = 0; i < THINKING; i++) {
    const r = await round(`round ${i + 2} (agent_thinking)`, (m) => m.emit('agent_thinking', { reasoning: `step ${i}` }), t === TRIALS && i === THINKING / 2);
    steady.push(r.us);
    steadyWall.push(r.wall);
  }
  const last = await round('last round (agent_completed)', (m) => m.emit('agent_completed', { status: 'success', finalResponse: 'ok' }), t === TRIALS);
  if (!shared) await setup.close();
  const line = `first ${first.us.toFixed(1)} (wall ${first.wall.toFixed(1)}), steady median ${median(steady).toFixed(1)} (wall ${median(steadyWall).toFixed(1)}), last ${last.us.toFixed(1)} (wall ${last.wall.toFixed(1)})`;
  console.log(`${t === 0 ? 'warm-up' : `trial ${t}`} (load ${loadavg()[0]!.toFixed(1)}), redis-server CPU µs per event: ${line}`);
  if (t === 0) continue;
  rows.first.push(first.us); rows.firstWall.push(first.wall);
  rows.steady.push(median(steady)); rows.steadyWall.push(median(steadyWall));
  rows.last.push(last.us); rows.lastWall.push(last.wall);
  if (t === TRIALS) for (const s of stats) console.log(`  commands per event, ${s}`);
}
const f = (xs: number[]) => median(xs).toFixed(1);
const perTrial = (median(rows.first) + median(rows.last) + THINKING * median(rows.steady)) * USERS / 1000;
console.log(
  `medians, redis-server CPU µs per event: first round ${f(rows.first)}, steady rounds ${f(rows.steady)}, last round ${f(rows.last)}; ` +
    `the first and last rounds are ${(((median(rows.first) + median(rows.last)) * USERS) / 1000).toFixed(1)} of ${perTrial.toFixed(1)} ms of redis-server CPU per trial ` +
    `(${((100 * (median(rows.first) + median(rows.last))) / (median(rows.first) + median(rows.last) + THINKING * median(rows.steady))).toFixed(0)}%)`,
);
await shared?.close();
shared = undefined;
info.disconnect();
await redis.dispose();
