/**
 * In-process alternated A/B of the redis-bus bench's workload (two hubs, 200 users × 50 awaited
 * events) for two checkouts of this repository, loaded side by side in one process against one
 * redis-server: trials alternate (order flipped each pair) after two warm-up trials of each, so
 * both versions see the same load — the machine's load swings CPU per event by ±30% between
 * separate runs. Prints Node CPU µs per event (both hubs) and redis-server's, per pair and medians,
 * and each Redis trial's wall-clock rate over an in-memory trial's just before it (the bench's ratio:
 * run under `chrt -r 1` on a shared machine to see it as a quiet one would).
 *   node --import tsx bench/redis-bus-ab.ts <base checkout> <other checkout> [pairs=8] [leanAppends=script|pipelined]
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { redisCpuSeconds } from './redis-cpu.js';
import { attachSockets, emitRuns, EVENTS } from './redis-bus-workload.js';

/** One checkout's modules (typed loosely: the two versions' types need not match). */
type Tree = { name: string; canon: typeof import('../canonical/index.js'); Bus: typeof import('../canonical/bus/redis.js').RedisBus };
async function load(name: string, root: string): Promise<Tree> {
  const canon = (await import(`${root}/canonical/index.ts`)) as Tree['canon'];
  const { RedisBus } = (await import(`${root}/canonical/bus/redis.ts`)) as { RedisBus: Tree['Bus'] };
  return { name, canon, Bus: RedisBus };
}
async function trial(tree: Tree, url: string, info: Redis, t: number) {
  const { ConnectionHub } = tree.canon;
  const keyPrefix = `ab${t}:`;
  const busA = new tree.Bus({ url, keyPrefix, leanAppends }), busB = new tree.Bus({ url, keyPrefix, leanAppends });
  const hubA = new ConnectionHub({ bus: busA }), hubB = new ConnectionHub({ bus: busB });
  await Promise.all([busA.ready(), busB.ready()]);
  const done = attachSockets(hubA, 'r').next();
  await new Promise((r) => setTimeout(r, 200));
  const r0 = await redisCpuSeconds(info); const c0 = process.cpuUsage(); const s0 = performance.now();
  await emitRuns(tree.canon, hubB, `r${t}-`);
  await done;
  const c = process.cpuUsage(c0); const wall = performance.now() - s0; const r1 = await redisCpuSeconds(info);
  await hubA.close(); await hubB.close(); await Promise.all([busA.close(), busB.close()]);
  return { node: (c.user + c.system) / EVENTS, redis: ((r1 - r0) * 1e6) / EVENTS, rate: EVENTS / (wall / 1000) };
}
/** The in-memory bus on one hub (base's modules), for the wall-clock ratio each side's trial would score in the bench. */
async function memoryRate(tree: Tree, t: number) {
  const { ConnectionHub } = tree.canon;
  const hub = new ConnectionHub();
  const done = attachSockets(hub, `m${t}`).next();
  const s0 = performance.now();
  await emitRuns(tree.canon, hub, `m${t}-`);
  await done;
  const rate = EVENTS / ((performance.now() - s0) / 1000);
  await hub.close();
  return rate;
}
const [baseRoot, otherRoot] = process.argv.slice(2, 4).map((p) => path.resolve(p));
const leanAppends = (process.argv[5] ?? 'script') as 'script' | 'pipelined';
if (!baseRoot || !otherRoot) throw new Error('usage: bench/redis-bus-ab.ts <base checkout> <other checkout> [pairs]');
const base = await load('base', baseRoot);
const branch = await load('branch', otherRoot);
const redis = await startRedisServer();
const info = new Redis(redis.url);
const pairs = Number(process.argv[4] ?? 8);
let t = 0;
for (const tr of [base, branch, base, branch]) await trial(tr, redis.url, info, t++); // warm-up
await memoryRate(base, t++);
const res: Record<string, { node: number; redis: number; rate: number; ratio: number }[]> = { base: [], branch: [] };
for (let p = 0; p < pairs; p++) {
  const order = p % 2 ? [branch, base] : [base, branch];
  // Each Redis trial's wall-clock rate as a fraction of an in-memory trial next to it (as the bench's ratio;
  // meaningful only on a quiet machine, or under `chrt -r 1`, where the CPU is not shared with other work).
  for (const tr of order) {
    const mem = await memoryRate(base, t++);
    const r = await trial(tr, redis.url, info, t++);
    res[tr.name]!.push({ ...r, ratio: r.rate / mem });
  }
  const b = res.base!.at(-1)!, n = res.branch!.at(-1)!;
  console.log(`pair ${p + 1} (load ${loadavg()[0]!.toFixed(1)}): base node ${b.node.toFixed(2)} redis ${b.redis.toFixed(2)} ratio ${b.ratio.toFixed(3)} | branch node ${n.node.toFixed(2)} redis ${n.redis.toFixed(2)} ratio ${n.ratio.toFixed(3)}`);
}
const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2; };
for (const k of ['base', 'branch']) console.log(`${k}: node median ${med(res[k]!.map((x) => x.node)).toFixed(2)} µs, redis median ${med(res[k]!.map((x) => x.redis)).toFixed(2)} µs, wall ratio median ${med(res[k]!.map((x) => x.ratio)).toFixed(3)}`);
console.log(`node diffs (branch - base): ${res.base!.map((b, i) => (res.branch![i]!.node - b.node).toFixed(2)).join(', ')}`);
info.disconnect(); await redis.dispose();
