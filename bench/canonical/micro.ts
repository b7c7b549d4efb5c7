/**
 * In-process micro-harness of the canonical emit path (no sockets, not part of `npm run bench`):
 * the bench server's send loop (concurrent runs, one scoped manager per run, each emit awaited)
 * against null `ws`-shaped sockets that take the pre-encoded frames.
 * `node --import tsx bench/canonical/micro.ts [trials] [users] [rounds]` prints CPU µs per event
 * (trial 0 is a warm-up). On a shared machine the CPU figure swings ±30% per trial: to compare two
 * versions, bundle each (esbuild) and alternate their trials in one process — micro-ab.ts does that,
 * in both import orders (the module imported second measured ~10% slower with identical code), and
 * prints the combined ratio. Instruction counts under callgrind are no better: they differed by ±20%
 * between runs of the same code (V8's GC and JIT timing).
 */
import { pathToFileURL } from 'node:url';
import { createConnectionHub } from '../../canonical/hub.js';
import { emitCanonicalRounds } from './canonical-send.js';
import { userIdOf } from './workload.js';

/** A hub with `users` null sockets; each call of the result sends `rounds` runs per user and returns CPU µs per event. */
export function makeRunner(users: number, rounds: number): { run(): Promise<number>; bytes(): number; close(): Promise<void> } {
  let bytes = 0;
  const nullSocket = () => ({
    readyState: 1,
    bufferedAmount: 0,
    send() {},
    close() {},
    _sender: { _state: 0, _queue: [] as unknown[], _socket: { write: (b: Uint8Array) => ((bytes += b.length), true) } },
  });
  const hub = createConnectionHub();
  const ids = Array.from({ length: users }, (_, i) => userIdOf('bench-user-', i));
  for (const [i, userId] of ids.entries()) {
    hub.addConnection({ connectionId: `c${i}`, userId, socket: nullSocket(), connectedAt: new Date(), utf8Bytes: true, wsFrames: true });
  }
  const tick = () => new Promise((r) => setImmediate(r));
  let t = 0;
  return {
    async run() {
      const c = process.cpuUsage();
      await emitCanonicalRounds(hub, ids, rounds, `tp${t++}`, tick);
      const u = process.cpuUsage(c);
      return (u.user + u.system) / (users * rounds * 5);
    },
    bytes: () => bytes,
    close: () => hub.close(),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const trials = Number(process.argv[2] ?? 8);
  const users = Number(process.argv[3] ?? 1000);
  const rounds = Number(process.argv[4] ?? 10);
  const runner = makeRunner(users, rounds);
  const per: number[] = [];
  for (let t = 0; t <= trials; t++) {
    const us = await runner.run();
    if (t > 0) per.push(us);
  }
  per.sort((a, b) => a - b);
  console.log(`cpu µs/event: median ${per[per.length >> 1]!.toFixed(2)} min ${per[0]!.toFixed(2)} [${per.map((x) => x.toFixed(2)).join(' ')}] bytes ${runner.bytes()}`);
  await runner.close();
}
