/**
 * A/B of two source trees' canonical servers over real sockets (not part of `npm run bench`):
 *   node --import tsx bench/canonical/ab-sockets.ts treeA[:kind] treeB[:kind] [trials=6] [rounds=10] [users=1000]
 * Starts `bench/canonical/server.ts <kind>` of each tree (kind canonical by default, or raw / socketio) (cwd = the tree, so it runs that tree's
 * canonical/) with its own client process, connects `users` clients to each, then alternates send
 * trials A/B (order flipped per trial, one warm-up each) and prints per trial and in median the
 * server CPU per event (user, system) and minor page faults per event (/proc/<pid>/stat). Both
 * servers live through the whole run, so both see the same machine load trial by trial.
 * AB_NODE_ARGS='--perf-basic-prof' adds node options to both servers (e.g. for `perf record -p <pid>`).
 * A tree can be a snapshot: `git archive <rev> | tar -x -C dir` and a node_modules symlink.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { ChildChannel } from './channel.js';
import { CLIENT_NODE_ARGS, FIVE_EVENT_RUN } from './workload.js';
import { threadTicks } from './thread-ticks.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const [, , treeA, treeB, trialsArg, roundsArg, usersArg] = process.argv;
if (treeA === undefined || treeB === undefined) {
  process.stderr.write('usage: ab-sockets.ts treeA treeB [trials] [rounds] [users]\n');
  process.exit(2);
}
const trials = Number(trialsArg ?? 6);
const rounds = Number(roundsArg ?? 10);
const users = Number(usersArg ?? 1000);
const median = (v: number[]): number => [...v].sort((p, q) => p - q)[v.length >> 1]!;

/** Minor page faults of a process so far (field 10 of /proc/<pid>/stat). */
const minflt = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[7]);

interface Side {
  name: string;
  server: ChildChannel;
  clients: ChildChannel;
  pid: number;
  cpu: number[];
  user: number[];
  sys: number[];
  faults: number[];
  /** CPU µs per event of the main thread and of the other threads (from /proc, 10 ms ticks). */
  mainCpu: number[];
  otherCpu: number[];
}

async function start(name: string, spec: string): Promise<Side> {
  const [tree, kind = 'canonical'] = spec.split(':') as [string, string?];
  const root = path.resolve(tree);
  const server = ChildChannel.start(`${name} server`, path.join(root, 'bench/canonical/server.ts'), [kind], { cwd: root, nodeArgs: ['--expose-gc', ...(process.env.AB_NODE_ARGS ?? '').split(' ').filter(Boolean)] });
  const clients = ChildChannel.start(`${name} clients`, path.join(here, 'clients.ts'), [], { cwd: path.dirname(path.dirname(here)), nodeArgs: [...CLIENT_NODE_ARGS] });
  const { url, pid } = await server.call<{ url: string; pid: number }>('listen', { heartbeatIntervalMs: 30_000 }, 180_000);
  const r = await clients.call<{ opened: number }>('connect', { url, n: users, prefix: 'bench-user-', concurrency: 200, protocol: kind === 'socketio' ? 'socketio' : 'ws' }, 240_000);
  if (r.opened !== users) throw new Error(`${name}: ${r.opened} of ${users} connected`);
  return { name: `${name} (${kind})`, server, clients, pid, cpu: [], user: [], sys: [], faults: [], mainCpu: [], otherCpu: [] };
}

async function trial(side: Side, t: number): Promise<string> {
  const expect = users * rounds * FIVE_EVENT_RUN.length;
  await side.clients.call('arm', { mode: 'count', expect });
  const f0 = minflt(side.pid);
  const t0 = threadTicks(side.pid);
  const [sent, got] = await Promise.all([
    side.server.call<{ cpuMicros: number; userMicros: number; systemMicros: number; startAt: number }>('send', { prefix: 'bench-user-', users, rounds, tag: `ab${t}` }, 120_000),
    side.clients.call<{ complete: boolean; lastAt: number }>('wait', { timeoutMs: 90_000 }, 120_000),
  ]);
  const faults = (minflt(side.pid) - f0) / expect;
  const t1 = threadTicks(side.pid);
  const mainCpu = ((t1.main - t0.main) * 10_000) / expect;
  const otherCpu = ((t1.other - t0.other) * 10_000) / expect;
  if (!got.complete) throw new Error(`${side.name}: incomplete delivery`);
  if (t > 0) {
    side.cpu.push(sent.cpuMicros / expect);
    side.user.push(sent.userMicros / expect);
    side.sys.push(sent.systemMicros / expect);
    side.faults.push(faults);
    side.mainCpu.push(mainCpu);
    side.otherCpu.push(otherCpu);
  }
  const rate = expect / ((got.lastAt - sent.startAt) / 1000);
  return `${side.name} ${(sent.cpuMicros / expect).toFixed(2)} µs (user ${(sent.userMicros / expect).toFixed(2)}, sys ${(sent.systemMicros / expect).toFixed(2)}; main thread ${mainCpu.toFixed(2)}, other threads ${otherCpu.toFixed(2)}), faults ${faults.toFixed(3)}/event, ${Math.round(rate)} events/s`;
}

const a = await start('A', treeA);
const b = await start('B', treeB);
try {
  const ratios: number[] = [];
  for (let t = 0; t <= trials; t++) {
    const order = t % 2 === 0 ? [a, b] : [b, a];
    const lines: string[] = [];
    for (const side of order) lines.push(await trial(side, t));
    if (t > 0) ratios.push(b.cpu.at(-1)! / a.cpu.at(-1)!);
    console.log(`${t === 0 ? 'warm-up' : `trial ${t}`}: ${lines.join(' | ')}`);
  }
  const sum = (s: Side) => `${s.name}: cpu ${median(s.cpu).toFixed(2)} (user ${median(s.user).toFixed(2)}, sys ${median(s.sys).toFixed(2)}; main thread ${median(s.mainCpu).toFixed(2)}, other threads ${median(s.otherCpu).toFixed(2)}) µs/event, faults ${median(s.faults).toFixed(3)}/event`;
  console.log(`${sum(a)}; ${sum(b)}; median paired B/A ${median(ratios).toFixed(3)}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await Promise.all([a.server.stop(), a.clients.stop(), b.server.stop(), b.clients.stop()]);
}
