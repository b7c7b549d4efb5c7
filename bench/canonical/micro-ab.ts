/**
 * A/B of two versions of the emit path with micro.ts's workload:
 *   esbuild bench/canonical/micro.ts --bundle --platform=node --format=esm --outfile=/tmp/a.mjs   (in each version's tree)
 *   node --import tsx bench/canonical/micro-ab.ts /tmp/a.mjs /tmp/b.mjs [pairs=16] [users=1000] [rounds=10]
 * Runs two child processes, one per import order; each alternates the two versions' trials (order
 * flipped per pair, after two warm-up trials each) and reports the median of the paired ratios b/a.
 * The module imported second measured ~10% slower with identical code (2026-12-02), so a single order
 * is biased: the combined ratio is sqrt(r(a first) / r(b first)) (b/a; < 1 means b costs less).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

type Runner = { run(): Promise<number>; close(): Promise<void> };
const median = (v: number[]): number => [...v].sort((p, q) => p - q)[v.length >> 1]!;

const [, , first, second, pairsArg, usersArg, roundsArg, child] = process.argv;
if (first === undefined || second === undefined) {
  process.stderr.write('usage: micro-ab.ts a.mjs b.mjs [pairs] [users] [rounds]\n');
  process.exit(2);
}
const pairs = Number(pairsArg ?? 16);
const users = Number(usersArg ?? 1000);
const rounds = Number(roundsArg ?? 10);

if (child === '--child') {
  // Imports `first` then `second`; prints the median of second/first over the pairs.
  const load = async (file: string): Promise<Runner> => ((await import(file)) as { makeRunner(u: number, r: number): Runner }).makeRunner(users, rounds);
  const a = await load(first);
  const b = await load(second);
  for (let i = 0; i < 2; i++) {
    await a.run();
    await b.run();
  }
  const ratios: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    let x: number;
    let y: number;
    if (i % 2 === 0) {
      x = await a.run();
      y = await b.run();
    } else {
      y = await b.run();
      x = await a.run();
    }
    as.push(x);
    bs.push(y);
    ratios.push(y / x);
  }
  await a.close();
  await b.close();
  console.log(JSON.stringify({ ratio: median(ratios), first: median(as), second: median(bs) }));
} else {
  const self = fileURLToPath(import.meta.url);
  const once = (x: string, y: string) =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, x, y, String(pairs), String(users), String(rounds), '--child'], { encoding: 'utf8' }).trim().split('\n').pop()!) as { ratio: number; first: number; second: number };
  const ab = once(first, second); // b/a with b imported second
  const ba = once(second, first); // a/b with a imported second
  const combined = Math.sqrt(ab.ratio / ba.ratio);
  console.log(
    `b/a ${combined.toFixed(3)} (a first: median b/a ${ab.ratio.toFixed(3)}, a ${ab.first.toFixed(2)} b ${ab.second.toFixed(2)} µs/event; ` +
      `b first: median a/b ${ba.ratio.toFixed(3)}, b ${ba.first.toFixed(2)} a ${ba.second.toFixed(2)} µs/event; ${pairs} pairs each, ` +
      `${users} users x ${rounds} rounds; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${cpus().length} cpus)`,
  );
}
