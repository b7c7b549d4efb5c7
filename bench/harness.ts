/**
 * The bench harness: every figure is a ratio against a baseline measured in the same run,
 * because absolute times on a shared 2-core machine mean little.
 */
import { spawn } from 'node:child_process';

export type Direction = 'lower-is-better' | 'higher-is-better';

export interface Measure {
  /** What is measured, e.g. "rewrite-imports --dry-run, 5% affected vs jscodeshift CLI". */
  name: string;
  figure: number;
  baseline: number;
  unit: string;
  /** figure / baseline. */
  ratio: number;
  /** The target on the ratio, e.g. { max: 0.05 } for "at least 20x faster". */
  target: { max?: number; min?: number; text: string };
  pass: boolean;
  /** Extra facts worth printing (peak RSS, counts). */
  notes?: string;
}

export interface BenchSuite {
  name: string;
  run(ctx: BenchContext): Promise<Measure[]>;
}

export interface BenchContext {
  /** A scratch directory for this suite, removed after the run. */
  scratch: string;
  log(line: string): void;
}

export function measure(
  name: string,
  figure: number,
  baseline: number,
  unit: string,
  target: { max?: number; min?: number; text: string },
  notes?: string,
): Measure {
  const ratio = baseline === 0 ? Number.POSITIVE_INFINITY : figure / baseline;
  const pass = meets(ratio, target);
  return { name, figure, baseline, unit, ratio, target, pass, ...(notes ? { notes } : {}) };
}

export interface ProcessRun {
  wallMs: number;
  /** Peak resident set size of the largest process in the tree (KiB), from getrusage(RUSAGE_CHILDREN). */
  peakRssKiB: number;
  /** User + system CPU time of the tree (ms), from the same getrusage: what the machine's load moves far less than the wall. */
  cpuMs: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command and reports its wall time and peak RSS. A tiny python3 wrapper reads
 * getrusage(RUSAGE_CHILDREN) after the child exits, which also covers worker processes the
 * child waited for (jscodeshift forks workers); Node cannot read a child's rusage itself.
 */
export function runProcess(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessRun> {
  const wrapper = [
    'import resource, subprocess, sys, time',
    't = time.perf_counter()',
    'p = subprocess.run(sys.argv[1:])',
    'ms = (time.perf_counter() - t) * 1000',
    'u = resource.getrusage(resource.RUSAGE_CHILDREN)',
    'sys.stderr.write("\\n@@bench %d %f %d %f\\n" % (p.returncode, ms, u.ru_maxrss, (u.ru_utime + u.ru_stime) * 1000))',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', wrapper, cmd, ...args], { cwd: opts.cwd, env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const m = /\n@@bench (-?\d+) ([\d.]+) (\d+) ([\d.]+)\n$/.exec(stderr);
      if (!m) return reject(new Error(`bench wrapper failed for ${cmd}: ${stderr.slice(-500)}`));
      resolve({
        exitCode: Number(m[1]),
        wallMs: Number(m[2]),
        peakRssKiB: Number(m[3]),
        cpuMs: Number(m[4]),
        stdout,
        stderr: stderr.slice(0, m.index),
      });
    });
  });
}

/** A size from the environment (BENCH_*): a positive integer, else an error naming the variable; unset: the default. */
export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got "${v}")`);
  return n;
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/**
 * A measure's ratio as printed: formatNumber's digits, or more where those would read as the other
 * verdict (0.29989 against ≥ 0.3 is printed 0.2999, not 0.300 beside a FAIL).
 */
export function formatRatio(m: Pick<Measure, 'ratio' | 'target' | 'pass'>): string {
  let text = formatNumber(m.ratio);
  for (let digits = 4; digits <= 12 && Number.isFinite(m.ratio) && meets(Number(text), m.target) !== m.pass; digits++) text = m.ratio.toPrecision(digits);
  return text;
}

function meets(ratio: number, target: Measure['target']): boolean {
  return (target.max === undefined || ratio <= target.max) && (target.min === undefined || ratio >= target.min);
}
