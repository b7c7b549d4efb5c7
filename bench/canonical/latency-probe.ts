/**
 * Where a burst's delivery latency goes (not part of `npm run bench`):
 *   node --import tsx bench/canonical/latency-probe.ts tree[:kind] tree[:kind] … [bursts=8] [warm=6]
 * Starts each tree's `bench/canonical/server.ts <kind>` (kind canonical by default, raw, socketio)
 * with a client process of its own, connects 1,000 clients to each, ages each server like the bench
 * does before its latency rows (`warm` throughput trials of 10 runs per user), then alternates
 * latency bursts (1,000 users × one five-event run, all at once; order rotated per burst). Per burst
 * it prints the latency percentiles from the sub-millisecond send/receive stamps (epochNow on both
 * sides) and from the envelope's ts (Date.now(), what the bench printed before), the garbage
 * collections of the server and of the client process during the burst (perf_hooks), the server's
 * CPU split into its main thread and its other threads (V8's GC helpers) from /proc, the client's
 * CPU, and how the slowest 1% of events line up with those pauses and with the emission order.
 * PROBE_NODE_ARGS adds node options to every server (e.g. --trace-gc), PROBE_CLIENT_NODE_ARGS replaces the client processes' options (default CLIENT_NODE_ARGS, workload.ts; '' for none).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { ChildChannel } from './channel.js';
import type { GcEntry } from './gc-watch.js';
import { CLIENT_NODE_ARGS, FIVE_EVENT_RUN, percentile } from './workload.js';
import { threadTicks } from './thread-ticks.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const specs = args.filter((a) => !/^\d+$/.test(a));
const [burstsArg, warmArg] = args.filter((a) => /^\d+$/.test(a));
const bursts = Number(burstsArg ?? 8);
const warm = Number(warmArg ?? 6);
const users = 1000;
if (specs.length === 0) {
  process.stderr.write('usage: latency-probe.ts tree[:kind] … [bursts] [warm]\n');
  process.exit(2);
}
const median = (v: number[]): number => [...v].sort((p, q) => p - q)[v.length >> 1]!;
const f = (x: number, d = 2) => x.toFixed(d);


interface Side {
  name: string;
  server: ChildChannel;
  clients: ChildChannel;
  pid: number;
  p50: number[];
  p90: number[];
  p99: number[];
  max: number[];
  legacyP99: number[];
  serverMajor: number[];
  serverMajorMs: number[];
  tailInServerGc: number[];
  tailInClientGc: number[];
  otherCpu: number[];
  emitMs: number[];
}

async function start(spec: string, n: number): Promise<Side> {
  const [tree, kind = 'canonical'] = spec.split(':') as [string, string?];
  const root = path.resolve(tree);
  const name = `${path.basename(root)}:${kind}#${n}`;
  const server = ChildChannel.start(`${name} server`, path.join(root, 'bench/canonical/server.ts'), [kind], { cwd: root, nodeArgs: ['--expose-gc', ...(process.env.PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean)] });
  const clients = ChildChannel.start(`${name} clients`, path.join(here, 'clients.ts'), [], { cwd: path.dirname(path.dirname(here)), nodeArgs: (process.env.PROBE_CLIENT_NODE_ARGS ?? CLIENT_NODE_ARGS.join(' ')).split(' ').filter(Boolean) });
  const { url, pid } = await server.call<{ url: string; pid: number }>('listen', { heartbeatIntervalMs: 30_000 }, 180_000);
  const r = await clients.call<{ opened: number }>('connect', { url, n: users, prefix: 'bench-user-', concurrency: 200, protocol: kind === 'socketio' ? 'socketio' : 'ws' }, 240_000);
  if (r.opened !== users) throw new Error(`${name}: ${r.opened} of ${users} connected`);
  await server.call('gcWatch');
  await clients.call('gcWatch');
  return { name, server, clients, pid, p50: [], p90: [], p99: [], max: [], legacyP99: [], serverMajor: [], serverMajorMs: [], tailInServerGc: [], tailInClientGc: [], otherCpu: [], emitMs: [] };
}

/** Read syscalls of a process so far (/proc/<pid>/io syscr). */
const readCalls = (pid: number): number => Number(/syscr: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

async function throughput(side: Side, t: number): Promise<string> {
  const expect = users * 10 * FIVE_EVENT_RUN.length;
  const clientPid = side.clients.child.pid!;
  await side.clients.call('arm', { mode: 'count', expect });
  const r0 = readCalls(clientPid);
  const [sent, got] = await Promise.all([
    side.server.call<{ startAt: number; endAt: number; cpuMicros: number }>('send', { prefix: 'bench-user-', users, rounds: 10, tag: `w${t}` }, 120_000),
    side.clients.call<{ cpuMicros: number; lastAt: number }>('wait', { timeoutMs: 90_000 }, 120_000),
  ]);
  const reads = readCalls(clientPid) - r0;
  return `${side.name} aging trial ${t}: server ${f(sent.cpuMicros / expect)} µs/event, send loop ${f(sent.endAt - sent.startAt, 0)} ms, client ${f(got.cpuMicros / expect)} µs/event, client read syscalls ${f(reads / expect, 3)}/event`;
}

const gcSummary = (gcs: GcEntry[]) => {
  const by = new Map<string, { n: number; ms: number }>();
  for (const g of gcs) {
    const e = by.get(g.kind) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += g.ms;
    by.set(g.kind, e);
  }
  return [...by].map(([k, v]) => `${k} ${v.n} (${f(v.ms, 1)} ms)`).join(', ') || 'none';
};

async function burst(side: Side, t: number, record: boolean): Promise<string> {
  const expect = users * FIVE_EVENT_RUN.length;
  await side.server.call('gcTake');
  await side.clients.call('gcTake');
  await side.clients.call('arm', { mode: 'latency', expect });
  const t0 = threadTicks(side.pid);
  const [sent, got] = await Promise.all([
    side.server.call<{ startAt: number; endAt: number; stamps: number[]; cpuMicros: number }>('send', { prefix: 'bench-user-', users, rounds: 1, tag: `lat${t}`, stamp: true }, 120_000),
    side.clients.call<{ complete: boolean; lastAt: number; received: number[]; p99: number; cpuMicros: number }>('wait', { timeoutMs: 90_000, received: true }, 120_000),
  ]);
  const t1 = threadTicks(side.pid);
  if (!got.complete) throw new Error(`${side.name}: incomplete`);
  const sgc = (await side.server.call<GcEntry[]>('gcTake')).filter((g) => g.at + g.ms >= sent.startAt && g.at <= got.lastAt);
  const cgc = (await side.clients.call<GcEntry[]>('gcTake')).filter((g) => g.at + g.ms >= sent.startAt && g.at <= got.lastAt);
  const lat = sent.stamps.map((s, i) => got.received[i]! - s);
  if (lat.some((x) => !Number.isFinite(x))) throw new Error(`${side.name}: an event without its stamps`);
  const sorted = [...lat].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  // The slowest 1%: did a pause of the server or of the client fall between its send and its receipt?
  const tail = lat.map((l, i) => ({ l, i })).filter((e) => e.l >= p99);
  const overlaps = (gcs: GcEntry[], i: number) => gcs.some((g) => g.at < got.received[i]! && g.at + g.ms > sent.stamps[i]!);
  const inServer = tail.filter((e) => overlaps(sgc, e.i)).length / tail.length;
  const inClient = tail.filter((e) => overlaps(cgc, e.i)).length / tail.length;
  // Emission order: event k of user u is emitted at k × users + u.
  const order = (i: number) => (i % 5) * users + Math.floor(i / 5);
  const tailOrder = tail.map((e) => order(e.i) / expect);
  // Latency along the burst: medians of tenths in emission order.
  const tenths: number[] = [];
  for (let d = 0; d < 10; d++) {
    const xs = lat.filter((_, i) => Math.floor((order(i) / expect) * 10) === d);
    tenths.push(median(xs));
  }
  const otherMs = (t1.other - t0.other) * 10;
  const mainMs = (t1.main - t0.main) * 10;
  if (record) {
    side.p50.push(percentile(sorted, 50));
    side.p90.push(percentile(sorted, 90));
    side.p99.push(p99);
    side.max.push(sorted.at(-1)!);
    side.legacyP99.push(got.p99);
    side.serverMajor.push(sgc.filter((g) => g.kind === 'major').length);
    side.serverMajorMs.push(sgc.filter((g) => g.kind === 'major').reduce((a, g) => a + g.ms, 0));
    side.tailInServerGc.push(inServer);
    side.tailInClientGc.push(inClient);
    side.otherCpu.push(otherMs);
    side.emitMs.push(sent.endAt - sent.startAt);
  }
  return (
    `${side.name}: p50 ${f(percentile(sorted, 50))} p90 ${f(percentile(sorted, 90))} p99 ${f(p99)} max ${f(sorted.at(-1)!)} ms (ts method p99 ${got.p99}); ` +
    `emit loop ${f(sent.endAt - sent.startAt, 1)} ms, last receipt +${f(got.lastAt - sent.endAt, 1)} ms; server CPU ${f(sent.cpuMicros / 1000, 1)} ms (main thread ${mainMs}, other threads ${otherMs} ms), client CPU ${f(got.cpuMicros / 1000, 1)} ms; ` +
    `server GC ${gcSummary(sgc)}; client GC ${gcSummary(cgc)}; slowest 1%: ${f(inServer * 100, 0)}% overlap a server pause, ${f(inClient * 100, 0)}% a client pause, emission position median ${f(median(tailOrder), 2)}; ` +
    `median latency by tenth of the burst ${tenths.map((x) => f(x, 1)).join(' ')}`
  );
}

const sides: Side[] = [];
for (const [i, s] of specs.entries()) sides.push(await start(s, i));
try {
  for (let t = 0; t < warm; t++) for (const s of sides) console.log(await throughput(s, t));
  for (const s of sides) {
    const count = (gcs: GcEntry[], kind: string) => gcs.filter((g) => g.kind === kind).length;
    const sg = await s.server.call<GcEntry[]>('gcTake');
    const cg = await s.clients.call<GcEntry[]>('gcTake');
    console.log(`${s.name} while aged: server ${count(sg, 'major')} major / ${count(sg, 'minor')} minor GCs, its client process ${count(cg, 'major')} major / ${count(cg, 'minor')} minor`);
  }
  console.log(`aged: ${warm} throughput trials of ${users * 10 * 5} events each; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (let t = 0; t <= bursts; t++) {
    const order = sides.map((_, i) => sides[(i + t) % sides.length]!);
    for (const s of order) console.log(`${t === 0 ? 'warm-up' : `burst ${t}`} ${await burst(s, t, t > 0)}`);
  }
  for (const s of sides) {
    console.log(
      `${s.name}: medians p50 ${f(median(s.p50))} p90 ${f(median(s.p90))} p99 ${f(median(s.p99))} max ${f(median(s.max))} ms (ts method p99 ${median(s.legacyP99)}); ` +
        `server major GCs in bursts ${s.serverMajor.join('/')} (${s.serverMajorMs.map((x) => f(x, 1)).join('/')} ms); tail overlapping a server pause ${s.tailInServerGc.map((x) => f(x, 2)).join('/')}, a client pause ${s.tailInClientGc.map((x) => f(x, 2)).join('/')}; ` +
        `other-thread CPU ${s.otherCpu.join('/')} ms; emit loop ${s.emitMs.map((x) => f(x, 0)).join('/')} ms`,
    );
  }
  console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await Promise.all(sides.flatMap((s) => [s.server.stop(), s.clients.stop()]));
}
