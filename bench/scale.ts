/**
 * Bench suite "scale" (opt-in: `npm run bench -- --only scale` or BENCH_SCALE=1; the default run
 * stays within its time): every phase run as a user runs it (`ssot-migrate run <phase>` through
 * bin/, one verified commit each) on generated, linked, committed repos of BENCH_SCALE_SIZES files
 * (comma-separated, default 5,000 and 10,000; BENCH_SCALE_FILES=N alone means that one size),
 * each against one `tsc --noEmit` of the same repo measured in the same run:
 *
 * - per type-aware phase, before its real run: its planning alone (`run <phase> --dry-run`), CPU
 *   time (user + system of the process tree) vs that `tsc`'s, target ≤ 1.2x at the largest size,
 *   and the ratio at the largest size vs the smallest, target ≤ 1x (planning must not grow faster
 *   than the checker); the walls in the notes (on the shared 2-core machine the load moves the
 *   wall far more than the CPU);
 * - per phase and size: wall and peak RSS of the CLI process (VmHWM sampled from /proc, worker
 *   threads included, its verify children not), target ≤ 1.5x tsc's peak RSS; the whole tree's
 *   largest process (getrusage, the verify's tsc included) in the notes;
 * - at the largest size, one `tsc --noEmit` after strangle vs before (the facades must cost the
 *   user's type check only the toolkit's declarations): interleaved pairs, at least
 *   BENCH_SCALE_TSC_TRIALS (default 3) and more, up to BENCH_SCALE_TSC_MAX_TRIALS (default 5),
 *   while the pairs leave the CPU or Memory used verdict open (tscPairsWanted), medians, target ≤ 1.05x, with
 *   --extendedDiagnostics' Files, Lines, Check time and Memory used and the checker's counts; and
 *   the same ratio on tsc's Memory used, which the load moves far less than the walls (those went
 *   1.05x in one run, 0.83x in the next on the shared 2-core machine, for the same trees) but
 *   which still moves with when V8 last collected; the checker's counts do not move at all.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_PHASES } from '../codemods/index.js';
import { genMonorepo } from '../scripts/gen-monorepo.js';
import { envInt, measure, runProcess, type BenchContext, type BenchSuite, type Measure, type ProcessRun } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const CLI = path.join(root, 'bin', 'ssot-migrate.js');

/** The repo sizes, smallest first: BENCH_SCALE_SIZES (comma-separated), else BENCH_SCALE_FILES alone, else 5,000 and 10,000. */
export function scaleSizes(env: NodeJS.ProcessEnv = process.env): number[] {
  const list = env.BENCH_SCALE_SIZES;
  if (list === undefined || list === '') return env.BENCH_SCALE_FILES ? [envInt('BENCH_SCALE_FILES', 0)] : [5_000, 10_000];
  const sizes = list.split(',').map((x) => x.trim());
  if (sizes.some((x) => !/^[1-9]\d*$/.test(x))) throw new Error(`BENCH_SCALE_SIZES must be positive integers separated by commas (got "${list}")`);
  return [...new Set(sizes.map(Number))].sort((a, b) => a - b);
}
const TSC_TRIALS = envInt('BENCH_SCALE_TSC_TRIALS', 3);
const TSC_MAX_TRIALS = Math.max(TSC_TRIALS, envInt('BENCH_SCALE_TSC_MAX_TRIALS', 5));
const TSC_TARGET = 1.05;
/**
 * How far from the bound one pair's CPU ratio must land to settle the verdict alone: the same two
 * trees measured 0.98x in one suite run and 1.05x in the next (one pair each).
 */
const TSC_PAIR_NOISE = 0.05;

/**
 * How many after-vs-before `tsc` pairs the comparison needs in all, given the per-pair CPU ratios
 * (after / before) measured so far: `min` first; then the verdict is settled when every pair lands
 * on the same side of `bound` and either three pairs agree or each is further than `noise` from it;
 * an open verdict gets three pairs, then `max` (odd counts: the median is a measured pair). Extra
 * pairs cost only when the machine's noise could decide the row.
 */
export function tscPairsWanted(ratios: readonly number[], opts: { min: number; max: number; bound: number; noise: number }): number {
  const n = ratios.length;
  if (n < opts.min) return opts.min;
  if (n >= opts.max) return n;
  const under = ratios.every((r) => r <= opts.bound);
  const over = ratios.every((r) => r > opts.bound);
  if ((under || over) && (n >= 3 || ratios.every((r) => Math.abs(r - opts.bound) > opts.noise))) return n;
  return Math.min(opts.max, n < 3 ? 3 : opts.max);
}
/** Every built-in phase, in the order a user runs them. */
const PHASES = BUILTIN_PHASES.map((p) => p.name);
/**
 * The phases whose planning asks the type checker (issue 21's list): their `--dry-run` is timed
 * against one `tsc`. move-declarations and remove-shim plan from the syntax scan alone.
 */
const TYPE_AWARE = new Set(['discover', 'strangle', 'consolidate-types', 'rewrite-imports', 'remove-adapters']);
const PLAN_TARGET = 1.2;
const PHASE_ARGS: Record<string, string[]> = {
  // a generated repo has no production traffic to read; the reason goes into the trailers
  'remove-shim': ['--without-telemetry', 'bench scale suite: generated repository, no production telemetry'],
};

/** True when this run asked for the suite (it is too slow for the default `npm run bench`). */
export function scaleRequested(argv: readonly string[] = process.argv): boolean {
  const only = argv.indexOf('--only');
  return process.env.BENCH_SCALE === '1' || (only >= 0 && argv[only + 1] === 'scale');
}

const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function readHwmKiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * runProcess (wall, tree-wide peak from getrusage) plus the peak of the command's own process:
 * VmHWM is monotonic, so the last sample before exit is its peak within one 100 ms interval.
 */
async function runSampled(cmd: string, args: string[], cwd: string): Promise<ProcessRun & { ownPeakKiB: number }> {
  let ownPeakKiB = 0;
  const done = runProcess(cmd, args, { cwd });
  const timer = setInterval(() => {
    // the python wrapper's pid is not exposed: find the command among the wrappers' children
    for (const wrapper of childPids(process.pid)) {
      for (const pid of childPids(wrapper)) ownPeakKiB = Math.max(ownPeakKiB, readHwmKiB(pid) ?? 0);
    }
  }, 100);
  try {
    return { ...(await done), ownPeakKiB };
  } finally {
    clearInterval(timer);
  }
}

interface TscRun {
  ms: number;
  /** user + system CPU time: on a shared machine the wall swings with the load, this far less */
  cpuMs: number;
  peakKiB: number;
  diag: Record<string, string>;
}

async function tsc(dir: string): Promise<TscRun> {
  const r = await runProcess(process.execPath, [path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--extendedDiagnostics'], { cwd: dir });
  if (r.exitCode !== 0) throw new Error(`tsc --noEmit in ${dir} exited ${r.exitCode}: ${r.stdout.slice(0, 1500)}`);
  const diag: Record<string, string> = {};
  for (const m of r.stdout.matchAll(/^([A-Za-z][A-Za-z /]+):\s+(\S+)$/gm)) diag[m[1]!.trim()] = m[2]!;
  return { ms: r.wallMs, cpuMs: r.cpuMs, peakKiB: r.peakRssKiB, diag };
}

/** tsc's "Memory used" figure (e.g. 548970K) in KiB. */
const kb = (t: TscRun): number => Number((t.diag['Memory used'] ?? '').replace(/K$/, '')) || Number.NaN;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const diagNote = (t: TscRun): string =>
  `Files ${t.diag['Files']}, Lines of TypeScript ${t.diag['Lines of TypeScript']}, Lines of Definitions ${t.diag['Lines of Definitions']}, Check time ${t.diag['Check time']}, Memory used ${t.diag['Memory used']}`;
/** The checker's own counts before -> after, which the load does not move: the work the facades add. */
const workNote = (before: TscRun, after: TscRun): string =>
  ['Symbols', 'Types', 'Instantiations', 'Lines of Definitions']
    .map((k) => {
      const [b, a] = [Number(before.diag[k]), Number(after.diag[k])];
      return `${k} ${before.diag[k]} -> ${after.diag[k]}${b > 0 && Number.isFinite(a) ? ` (${a >= b ? '+' : ''}${((100 * (a - b)) / b).toFixed(2)}%)` : ''}`;
    })
    .join(', ');

async function makeRepo(ctx: BenchContext, files: number): Promise<{ dir: string; affected: string[] }> {
  const dir = path.join(ctx.scratch, `repo-${files}`);
  const t = performance.now();
  // the facades resolve ssot-migrate/* to dist/*.d.ts (package.json exports): build it if stale
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-stale'], { cwd: root, stdio: 'ignore' });
  const generated = await genMonorepo({ dir, files, affected: 0.05, seed: 1 });
  execFileSync(path.join(dir, 'link-toolkit.sh'), [root], { cwd: dir, stdio: 'ignore' });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'generated');
  ctx.log(`generated ${files} files, 5% affected, linked and committed (${secs(performance.now() - t)})`);
  return { dir, affected: generated.affectedFiles };
}

/** A detached worktree of `rev` next to the repo, sharing its node_modules. */
function worktree(repo: string, dir: string, rev: string): string {
  execFileSync('git', ['worktree', 'add', '-q', '--detach', dir, rev], { cwd: repo, stdio: 'ignore' });
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** One phase's planning alone (`--dry-run`) against the size's one `tsc`. */
interface PlanRun {
  wallMs: number;
  cpuMs: number;
  tsc: TscRun;
  exitCode: number;
}

/**
 * Every phase on one generated repo of `files` files: each type-aware phase's planning timed
 * first, then the phase run for real (the next phase plans on its commit). The `tsc` after
 * strangle vs before rows only when `compareTsc` (the largest size: they cost 2 x trials type checks).
 */
async function runSize(ctx: BenchContext, files: number, compareTsc: boolean): Promise<{ rows: Measure[]; plans: Map<string, PlanRun> }> {
  const { dir: repo } = await makeRepo(ctx, files);
  const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  const tsc0 = await tsc(repo);
  ctx.log(`${files} files, tsc --noEmit: ${secs(tsc0.ms)}, CPU ${secs(tsc0.cpuMs)}, ${mib(tsc0.peakKiB)} (${diagNote(tsc0)})`);

  const out: Measure[] = [];
  const plans = new Map<string, PlanRun>();
  let strangled: string | undefined;
  for (const phase of PHASES) {
    if (TYPE_AWARE.has(phase)) {
      const d = await runProcess(process.execPath, [CLI, 'run', phase, '--repo', repo, '--dry-run', ...(PHASE_ARGS[phase] ?? [])], { cwd: repo });
      plans.set(phase, { wallMs: d.wallMs, cpuMs: d.cpuMs, tsc: tsc0, exitCode: d.exitCode });
      ctx.log(`plan ${phase} (--dry-run), ${files} files: exit ${d.exitCode}, ${secs(d.wallMs)} (${(d.wallMs / tsc0.ms).toFixed(2)}x tsc), CPU ${secs(d.cpuMs)} (${(d.cpuMs / tsc0.cpuMs).toFixed(2)}x tsc)`);
    }
    const r = await runSampled(process.execPath, [CLI, 'run', phase, '--repo', repo, '--yes', ...(PHASE_ARGS[phase] ?? [])], repo);
    const summary = `${r.stdout}\n${r.stderr}`.trim().split('\n').filter(Boolean).slice(-3).join(' | ').slice(0, 400);
    ctx.log(`run ${phase}, ${files} files: exit ${r.exitCode}, ${secs(r.wallMs)}, CLI peak ${mib(r.ownPeakKiB)}, tree peak ${mib(r.peakRssKiB)} — ${summary}`);
    const refused = r.exitCode !== 0 ? `, exit ${r.exitCode} (not committed; later phases not run)` : '';
    const m = measure(`run ${phase}${refused}, ${files} files: CLI peak RSS vs one tsc --noEmit`, r.ownPeakKiB / 1024, tsc0.peakKiB / 1024, 'MiB', { max: 1.5, text: '≤ 1.5x' },
      `wall ${secs(r.wallMs)} (${(r.wallMs / tsc0.ms).toFixed(2)}x one tsc, ${secs(tsc0.ms)}); CPU ${secs(r.cpuMs)} (${(r.cpuMs / tsc0.cpuMs).toFixed(2)}x one tsc's ${secs(tsc0.cpuMs)}, the tree's: verify's commands included); exit ${r.exitCode}; largest process of the tree (verify's tsc included) ${mib(r.peakRssKiB)}; ${summary}`);
    if (r.exitCode !== 0) m.pass = false;
    out.push(m);
    if (r.exitCode !== 0) break;
    if (phase === 'strangle') strangled = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  }

  if (strangled && compareTsc) {
    // before and after side by side, measured alternately so load drift hits both alike
    const before = worktree(repo, path.join(ctx.scratch, `before-${files}`), base);
    const after = worktree(repo, path.join(ctx.scratch, `after-${files}`), strangled);
    const runs: { before: TscRun[]; after: TscRun[] } = { before: [], after: [] };
    const pairRatios = (): number[] => runs.before.map((b, i) => runs.after[i]!.cpuMs / b.cpuMs);
    // tsc's Memory used is the heap at exit, which moves with when V8 last collected (the same
    // trees: 1.00x in one suite run, 1.08x in the next): its verdict asks for pairs as well
    const memRatios = (): number[] => runs.before.map((b, i) => kb(runs.after[i]!) / kb(b));
    const pairOpts = { min: TSC_TRIALS, max: TSC_MAX_TRIALS, bound: TSC_TARGET, noise: TSC_PAIR_NOISE };
    const wanted = () => Math.max(tscPairsWanted(pairRatios(), pairOpts), tscPairsWanted(memRatios().filter(Number.isFinite), pairOpts));
    for (let i = 0; i < wanted(); i++) {
      if (i === TSC_TRIALS) ctx.log(`tsc: ratios per pair, CPU ${pairRatios().map((r) => r.toFixed(3)).join(', ')}, Memory used ${memRatios().map((r) => r.toFixed(3)).join(', ')}, leave a ${TSC_TARGET}x verdict open: ${wanted()} pairs in all`);
      runs.before.push(await tsc(before));
      runs.after.push(await tsc(after));
      ctx.log(`tsc trial ${i + 1}: before ${secs(runs.before[i]!.ms)} (CPU ${secs(runs.before[i]!.cpuMs)}) ${mib(runs.before[i]!.peakKiB)}, after strangle ${secs(runs.after[i]!.ms)} (CPU ${secs(runs.after[i]!.cpuMs)}) ${mib(runs.after[i]!.peakKiB)}`);
    }
    const pairs = runs.before.length;
    const b = median(runs.before.map((t) => t.ms));
    const a = median(runs.after.map((t) => t.ms));
    const last = (xs: TscRun[]) => xs[xs.length - 1]!;
    out.push(
      measure(`tsc --noEmit after strangle vs before, ${files} files`, a, b, 'ms', { max: TSC_TARGET, text: `≤ ${TSC_TARGET}x` },
        `medians of ${pairs} interleaved; walls before ${runs.before.map((t) => secs(t.ms)).join(', ')}, after ${runs.after.map((t) => secs(t.ms)).join(', ')}; ` +
          `peak RSS before ${mib(median(runs.before.map((t) => t.peakKiB)))}, after ${mib(median(runs.after.map((t) => t.peakKiB)))}; ` +
          `before: ${diagNote(last(runs.before))}; after: ${diagNote(last(runs.after))}`),
      // the time a loaded machine moves least: the CPU the type check spent (at 10,000 files, load
      // ~20, the suite's walls said 1.13x; the same trees' CPU, two pairs, 23.9/25.7 s -> 20.9/21.7 s)
      measure(`tsc --noEmit after strangle vs before, ${files} files: CPU time (user + system)`, median(runs.after.map((t) => t.cpuMs)), median(runs.before.map((t) => t.cpuMs)), 'ms', { max: TSC_TARGET, text: `≤ ${TSC_TARGET}x` },
        `medians of ${pairs} interleaved (${TSC_TRIALS} asked, more while the pairs left the verdict open); before ${runs.before.map((t) => secs(t.cpuMs)).join(', ')}, after ${runs.after.map((t) => secs(t.cpuMs)).join(', ')}; ` +
          `per pair ${pairRatios().map((r) => `${r.toFixed(3)}x`).join(', ')}; the checker's counts (load-independent): ${workNote(last(runs.before), last(runs.after))}`),
      // the same cost without the machine's load in it: tsc's own count of its heap, which
      // grows with every declaration file the facades pull into the user's program
      measure(`tsc --noEmit after strangle vs before, ${files} files: Memory used (load-independent)`, median(runs.after.map(kb)), median(runs.before.map(kb)), 'KiB', { max: TSC_TARGET, text: `≤ ${TSC_TARGET}x` },
        `--extendedDiagnostics' Memory used (the heap at exit: it moves with when V8 last collected), medians of ${pairs} interleaved; before ${runs.before.map((t) => t.diag['Memory used']).join(', ')}, after ${runs.after.map((t) => t.diag['Memory used']).join(', ')}; per pair ${memRatios().map((r) => `${r.toFixed(3)}x`).join(', ')}; Files ${last(runs.before).diag['Files']} -> ${last(runs.after).diag['Files']}, Lines of Definitions ${last(runs.before).diag['Lines of Definitions']} -> ${last(runs.after).diag['Lines of Definitions']}`),
    );
  }
  return { rows: out, plans };
}

/**
 * The planning rows: each type-aware phase's planning CPU vs one `tsc`'s at the largest size
 * (≤ 1.2x), and how that ratio moved from the smallest size to the largest (≤ 1x: it must not grow).
 */
function planRows(bySize: ReadonlyArray<{ files: number; plans: ReadonlyMap<string, PlanRun> }>): Measure[] {
  const out: Measure[] = [];
  const small = bySize[0]!;
  const large = bySize[bySize.length - 1]!;
  const cpuRatio = (p: PlanRun): number => p.cpuMs / p.tsc.cpuMs;
  const describe = (files: number, p: PlanRun): string =>
    `${files} files: CPU ${secs(p.cpuMs)} vs tsc ${secs(p.tsc.cpuMs)} (${cpuRatio(p).toFixed(2)}x), wall ${secs(p.wallMs)} vs tsc ${secs(p.tsc.ms)} (${(p.wallMs / p.tsc.ms).toFixed(2)}x)${p.exitCode !== 0 ? `, exit ${p.exitCode}` : ''}`;
  for (const phase of PHASES) {
    const l = large.plans.get(phase);
    if (!l) continue;
    const s = small.plans.get(phase);
    const history = bySize.map((b) => (b.plans.get(phase) ? describe(b.files, b.plans.get(phase)!) : `${b.files} files: not run`)).join('; ');
    const m = measure(`plan ${phase} (--dry-run), ${large.files} files: CPU (user + system) vs one tsc --noEmit`, l.cpuMs, l.tsc.cpuMs, 'ms', { max: PLAN_TARGET, text: `≤ ${PLAN_TARGET}x` },
      `CPU, which the load moves least on the shared machine; the walls: ${history}`);
    if (l.exitCode !== 0) m.pass = false;
    out.push(m);
    if (s && small !== large) {
      const g = measure(`plan ${phase} (--dry-run): CPU ratio vs tsc at ${large.files} files vs at ${small.files}`, cpuRatio(l), cpuRatio(s), 'x', { max: 1, text: '≤ 1x (no higher at the larger size)' }, history);
      if (l.exitCode !== 0 || s.exitCode !== 0) g.pass = false;
      out.push(g);
    }
  }
  return out;
}

export const scaleSuite: BenchSuite = {
  name: 'scale',
  async run(ctx) {
    const sizes = scaleSizes();
    const out: Measure[] = [];
    const bySize: Array<{ files: number; plans: Map<string, PlanRun> }> = [];
    for (const [i, files] of sizes.entries()) {
      const r = await runSize(ctx, files, i === sizes.length - 1);
      out.push(...r.rows);
      bySize.push({ files, plans: r.plans });
    }
    return [...planRows(bySize), ...out];
  },
};
