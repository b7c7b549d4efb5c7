import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SYNTAX_TRANSFORMS } from '../transforms.js';
import type { PhaseContext } from './context.js';
import { DiffThread } from './diff-thread.js';
import type { GitPrefilter } from './git-prefilter.js';
import { othersBusyCoresSince, sampleCpu, type CpuSample } from './idle-cores.js';
import { POOL_BATCH, WorkerPool, type PoolJob } from './pool.js';
import { ReadAhead } from './read-ahead.js';
import { readCandidate } from './source-text.js';
import { expandProcessed, processCompact, type CompactProcessedFile, type ExpandedFile } from './process.js';
import { SpillFile, spillProcessed } from './spill.js';
import { makeRuntime, type PhaseRuntime, type SyntaxTransform } from './transform.js';
import type { Edit, FileReport } from './types.js';

/**
 * Files to parse below which worker start-up costs more than it saves. A worker takes ~1.5–2.5 s
 * to return its first batch (tsx, the TypeScript API, a cold JIT) while the main thread, warm
 * from building the context, parses ~0.4–1 ms a file: measured on 2 cores with 1,010 files to
 * parse, in process 2.6 s vs two workers 4.5 s (bench/codemods.ts). Measured again with the
 * built package and typescript.js from its code cache (the bench's 5% tree, threshold lowered to
 * 100 and 300, per-thread CPU from /proc): one worker takes ~0.28 s of the main thread's 1.25 s
 * but costs ~0.55 s of its own on the second core, which V8's concurrent optimizing compiler
 * already keeps busy (~0.8 s of CPU in its threads on the same run): no gain on 2 cores.
 */
export const WORKER_MIN_FILES = 4000;
/** Files read before their count to parse is projected for the whole list (engine/run.ts parseNow). */
const LOCAL_AFTER = 1000;

export interface SyntaxRunOptions {
  repoDir: string;
  transformName: string;
  ctx: PhaseContext;
  /** Repo-relative candidate files. */
  files: readonly string[];
  /**
   * Worker threads besides the main thread, which takes batches too: 0 = in process; default: 1
   * when there is enough to parse.
   */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * git's grep for the transform's prefilter, started with the snapshot (RepoSnapshot.takeGitPrefilter,
   * engine/git-prefilter.ts): used when its tokens cover the transform's and the run parses in
   * process, else stopped.
   */
  gitPrefilter?: GitPrefilter;
  /**
   * Keep each changed file's original and diff in a spill file instead of the heap (engine/spill.ts);
   * default: when the run is large enough for the pool (WORKER_MIN_FILES to parse).
   */
  spill?: boolean;
}

/**
 * A file's outcome; a changed one's with its original text (`before`). On a large run (from
 * WORKER_MIN_FILES to parse) a changed file's original and diff are kept in a spill file
 * (engine/spill.ts) and read back on each access: copy such a result with spilledView.
 */
export type SyntaxRunFile = ExpandedFile;

export interface SyntaxRunResult {
  files: SyntaxRunFile[];
  /** Files read. */
  scanned: number;
  /** Files that passed the text prefilter and were parsed. */
  parsed: number;
  workers: number;
}

/** Workers asked for (SSOT_WORKERS, then the option), or undefined: decided by the count to parse. */
function requestedWorkers(requested: number | undefined): number | undefined {
  const env = process.env['SSOT_WORKERS'];
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return requested;
}

/**
 * Workers beside the main thread (which takes batches too) on a machine of `cores` cores (Node's
 * availableParallelism) while other processes keep `othersBusy` of its `machineCores` busy
 * (engine/idle-cores.ts; undefined: not known): one per core left, at most three (each holds its
 * own TypeScript, ~80 MiB), but only as many as the cores the others leave idle beside this thread,
 * a worker counted when at least half a core is free for it: a worker costs ~1.4 s of CPU of its
 * own on the bench's 20,000 files, which only pays on a core nothing else uses.
 *
 * None on a machine of 2 cores or fewer: there the second core is already V8's. A run in process
 * keeps it busy with V8's background threads (optimizing compiles, GC) and the read-ahead thread,
 * while a worker's isolate compiles the parser and the rewrite again on the same two cores.
 * Per-thread CPU on the bench's 100% tree (20,000 files; issue 21, helper cm8, load 6-12): in
 * process main thread 2.0-2.3 s, V8's threads 0.55-0.8, read-ahead 0.2; with one worker main
 * 1.55-1.9, worker 1.05-1.4, V8's threads 1.2-1.35 (~90% of it TurboFan: ~0.1 s with
 * --no-concurrent-recompilation) — about a core's worth of work more for a share of the files.
 * (With two workers the bench measured CPU 8.2 -> 10.4 s long before.)
 */
export function autoWorkerCount(cores: number, machineCores?: number, othersBusy?: number): number {
  if (cores <= 2) return 0;
  const most = Math.min(3, cores - 1);
  if (machineCores === undefined || othersBusy === undefined) return most;
  return Math.min(most, Math.max(0, Math.floor(machineCores - 1 - othersBusy + 0.5)));
}

const CORES = availableParallelism();

/**
 * The machine's CPU time when this module was loaded: for a CLI run, near its start (before the
 * context is built), the stretch over which autoWorkers judges whether a core is free.
 */
const AT_LOAD = sampleCpu();
/** A start-up sample older than this says little about now (a long-lived process: tests, a runner's later phases). */
const AT_LOAD_MAX_AGE_MS = 10_000;

/** autoWorkerCount for this machine, judged since start-up (or since the phase started, in a long-lived process). */
function autoWorkers(phaseStart: CpuSample | undefined): number {
  if (autoWorkerCount(CORES) === 0) return 0;
  const since = AT_LOAD !== undefined && performance.now() - AT_LOAD.at < AT_LOAD_MAX_AGE_MS ? AT_LOAD : phaseStart;
  const others = othersBusyCoresSince(since);
  return since === undefined ? autoWorkerCount(CORES) : autoWorkerCount(CORES, since.cores, others);
}

/**
 * Read every candidate, drop the ones the prefilter rules out (never parsed, reported
 * unchanged), and transform the rest in process or on a worker pool. Writes nothing. Files are
 * read as they are transformed (up to WORKER_MIN_FILES to parse ahead, which decides the pool),
 * so no text is held before its turn and the pool's worker starts on its first batch while the
 * rest is still unread; only a changed file's original is kept (its `before`), outside the heap
 * on a large run (SyntaxRunFile).
 */
export async function runSyntaxPhase(opts: SyntaxRunOptions): Promise<SyntaxRunResult> {
  const transform = SYNTAX_TRANSFORMS[opts.transformName];
  if (!transform) throw new Error(`unknown syntax transform "${opts.transformName}"`);
  const phaseStart = sampleCpu();
  const rt = makeRuntime(opts.ctx);
  const tokens = transform.prefilterTokens(rt);
  // git's grep, started with the snapshot, judges the files it can vouch for (engine/git-prefilter.ts); the rest are read here
  const git = opts.gitPrefilter;
  const useGit = git !== undefined && inProcess(opts) && git.covers(tokens);
  if (git !== undefined && !useGit) git.stop();
  const judged = useGit ? await judgeByGit(opts, transform, rt, tokens, git) : undefined;
  if (judged !== undefined && judged.rest.length === 0) return { files: sortedByFile(judged.out), scanned: judged.scanned, parsed: judged.parsed, workers: 0 };
  const files = judged?.rest ?? opts.files;
  // the texts come from engine/read-ahead.ts: a thread reads the next files while this one parses
  // the prefilter is applied where each file is read: only the texts that pass reach this thread
  const reader = new ReadAhead(opts.repoDir, files, tokens);
  try {
    const run = await transformAll(judged === undefined ? opts : { ...opts, files }, transform, rt, reader, phaseStart);
    if (judged === undefined) return run;
    return { files: sortedByFile(judged.out.concat(run.files)), scanned: judged.scanned + run.scanned, parsed: judged.parsed + run.parsed, workers: run.workers };
  } finally {
    reader.close();
  }
}

/** A run that parses in process whatever its count: no workers asked for, no spill file (git's matches are fewer than WORKER_MIN_FILES: GIT_MAX_MATCHES). */
function inProcess(opts: SyntaxRunOptions): boolean {
  return opts.spill !== true && (requestedWorkers(opts.workers) ?? 0) === 0;
}

/** Matches beyond which git's grep stops (engine/git-prefilter.ts): a run projected to this many to parse reads every file anyway (transformAll's parseNow). */
export const GIT_MAX_MATCHES = WORKER_MIN_FILES / 2;

/** What git's grep decided (tests, diagnostics): runs it judged, and the candidates they reported unchanged unread. */
export const gitPrefilterStats = { judged: 0, unread: 0 };

/** Files transformed between turns of the event loop while git still writes, so its output keeps flowing. */
const GIT_SLICE = 16;
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The candidates git's grep lists (a token, or a byte >= 0x80) read and transformed here as
 * they arrive; once git has ended, every other candidate it vouches for is reported unchanged,
 * unread: what the prefilter rules out. `rest`: the candidates to read as before — those git
 * cannot vouch for (untracked, symlinks, deleted, ...), or every one not handled yet when git
 * vouches for none (an error, too many matches).
 */
async function judgeByGit(
  opts: SyntaxRunOptions,
  transform: SyntaxTransform,
  rt: PhaseRuntime,
  tokens: readonly string[],
  git: GitPrefilter,
): Promise<{ out: SyntaxRunFile[]; scanned: number; parsed: number; rest: string[] }> {
  const files = opts.files;
  const index = new Map<string, number>();
  for (let i = 0; i < files.length; i++) index.set(files[i]!, i);
  const handled = new Uint8Array(files.length);
  const out: SyntaxRunFile[] = [];
  let scanned = 0;
  let parsed = 0;
  let parsedFrom = 0;
  const one = (file: string): void => {
    const read = readCandidate(join(opts.repoDir, file), tokens);
    // listed by git but deleted in the work tree meanwhile: nothing to transform
    if ('missing' in read) return;
    if ('skipped' in read) {
      out.push({ report: { file, status: 'skipped', reason: read.skipped, problems: [] } });
      return;
    }
    scanned++;
    // listed for a byte >= 0x80 only: the text has no token
    if ('filtered' in read) {
      out.push({ report: { file, status: 'unchanged', problems: [] } });
      return;
    }
    out.push(expandProcessed(processCompact(file, read.text, transform, rt), read.text));
    if (++parsed % 100 === 0) opts.onProgress?.(parsed, Math.max(parsed, git.listed.length));
  };
  // git lists tracked files in index order, the candidates' order (after any untracked ones): the furthest
  // candidate it listed tells how far it has read, and so the share that passes so far (as transformAll's parseNow)
  const n = files.length;
  const settle = Math.min(LOCAL_AFTER, n);
  const now = (furthest: number, count: number): boolean => git.ended || (furthest + 1 >= settle && count * n < ((furthest + 1) * WORKER_MIN_FILES) / 2);
  const pending: number[] = [];
  let taken = 0;
  let furthest = -1;
  // stopped for too many matches (at 100% affected: before the phase starts): nothing is taken, the run reads every file as before
  while (!git.stopped) {
    for (; taken < git.listed.length; taken++) {
      const i = index.get(git.listed[taken]!);
      if (i === undefined) continue; // not a candidate (another extension, excluded)
      pending.push(i);
      if (i > furthest) furthest = i;
    }
    if (git.stopped) break;
    if (now(furthest, pending.length) && parsedFrom < pending.length) {
      for (let k = 0; parsedFrom < pending.length && (git.settled || k < GIT_SLICE); k++) {
        const i = pending[parsedFrom++]!;
        handled[i] = 1;
        one(files[i]!);
      }
      // the grep's matches are read between slices (a full pipe would stall it)
      if (!git.settled) await yieldToEvents();
      continue;
    }
    if (git.ended) break;
    await git.wait();
  }
  const exceptions = await git.outcome();
  if (exceptions !== undefined) gitPrefilterStats.judged++;
  const rest: string[] = [];
  for (let i = 0; i < files.length; i++) {
    if (handled[i] === 1) continue;
    const file = files[i]!;
    if (exceptions === undefined || exceptions.has(file)) rest.push(file);
    else {
      // a tracked regular file in the work tree, plain ASCII, with no token: what the prefilter rules out
      gitPrefilterStats.unread++;
      scanned++;
      out.push({ report: { file, status: 'unchanged', problems: [] } });
    }
  }
  return { out, scanned, parsed, rest };
}

const sortedByFile = (out: SyntaxRunFile[]): SyntaxRunFile[] => out.sort((a, b) => (a.report.file < b.report.file ? -1 : a.report.file > b.report.file ? 1 : 0));

async function transformAll(opts: SyntaxRunOptions, transform: SyntaxTransform, rt: PhaseRuntime, reader: ReadAhead, phaseStart: CpuSample | undefined): Promise<SyntaxRunResult> {
  const out: SyntaxRunFile[] = [];
  let scanned = 0;
  let parsed = 0;
  let at = 0;
  /** The next candidate to parse; the ones read before it that the prefilter rules out, or that cannot be read, are reported on the way. */
  const nextJob = (): PoolJob | undefined => {
    for (let r = reader.next(); r !== undefined; r = reader.next()) {
      at++;
      const { file, read } = r;
      // listed by git but deleted in the work tree: nothing to transform
      if ('missing' in read) continue;
      if ('skipped' in read) {
        out.push({ report: { file, status: 'skipped', reason: read.skipped, problems: [] } });
        continue;
      }
      scanned++;
      // ruled out by the prefilter as it was read
      if ('filtered' in read) {
        out.push({ report: { file, status: 'unchanged', problems: [] } });
        continue;
      }
      parsed++;
      return { file, text: read.text };
    }
    return undefined;
  };
  // the count to parse so far plus every candidate not read yet (each may be one): what the progress bar counts up to
  const total = (): number => parsed + opts.files.length - at;
  /** A large run in process: changed files' diffs built and spilled on a thread of their own (engine/diff-thread.ts). */
  let differ: DiffThread | undefined;
  const local = (j: PoolJob) => processCompact(j.file, j.text, transform, rt, differ === undefined || !differ.accepting);
  // only a run large enough to need the pool holds enough to matter (engine/spill.ts); decided once the count to parse is known
  let spill = opts.spill === true ? new SpillFile() : undefined;
  const shared = new Map<string, string>();
  const keep = (c: CompactProcessedFile, text: string): SyntaxRunFile => {
    if (spill === undefined) return expandProcessed(c, text);
    shareStrings(c, shared);
    if (c.splices === undefined) return expandProcessed(c, text);
    const { splices, ...rest } = c;
    // no diff yet: processCompact left it to the diff thread
    if (rest.diff === undefined && differ !== undefined) return differ.add(rest, text, splices);
    return spillProcessed(rest, text, splices, spill);
  };
  const requested = requestedWorkers(opts.workers);
  /**
   * Whether the read-ahead parses a job at once instead of queueing it: with no workers asked for
   * (or 0), once LOCAL_AFTER files are read and the count to parse they project for the whole
   * list stays under half of WORKER_MIN_FILES (the pool's and the spill file's threshold), so the
   * read-ahead thread reads the rest while this one parses (at 5% affected the whole read
   * overlaps the parse). A projection proved wrong later (files to parse bunched at the end)
   * only means that the pool, when it comes, finds some of them done, kept in memory.
   */
  const parseNow = (): boolean => (requested ?? 0) === 0 && at >= Math.min(LOCAL_AFTER, opts.files.length) && parsed * opts.files.length < (at * WORKER_MIN_FILES) / 2;
  // Read ahead until the count to parse decides the pool (started at once: its threads load while the rest is read and parsed).
  const ahead: Array<PoolJob | undefined> = [];
  let job: PoolJob | undefined;
  let parsedNow = 0;
  while (parsed < WORKER_MIN_FILES && (job = nextJob()) !== undefined) {
    if (!parseNow()) ahead.push(job);
    else {
      reader.start();
      out.push(keep(local(job), job.text));
      if (++parsedNow % 100 === 0) opts.onProgress?.(parsedNow, total());
    }
  }
  const more = parsed === WORKER_MIN_FILES;
  if (spill === undefined && (opts.spill ?? more)) spill = new SpillFile();
  const workers = requested ?? (more ? autoWorkers(phaseStart) : 0);
  let taken = 0;
  /** The jobs read ahead, then the rest as they are read; a job's text is dropped once it is handed out. */
  const next = (): PoolJob | undefined => {
    if (taken < ahead.length) {
      const j = ahead[taken];
      ahead[taken++] = undefined;
      return j;
    }
    return more ? nextJob() : undefined;
  };
  if (workers > 0 && ahead.length > 0) {
    const pool = new WorkerPool(opts.transformName, opts.ctx, more ? workers : Math.min(workers, Math.ceil(ahead.length / POOL_BATCH)));
    try {
      // the main thread diffs its own files as it goes, as the workers do: a diff from the splices
      // (engine/diff.ts createDiffFromEdits) is cheap, and none is left to do after the workers end
      for (const r of await pool.run(next, (d) => opts.onProgress?.(d, total()), local, keep)) out.push(r);
    } finally {
      await pool.close();
    }
  } else {
    // in process after all (no core idle for a worker): the read-ahead thread reads the rest while this one parses,
    // the diff thread diffs and spills the changed files
    if (more) reader.start();
    if (spill !== undefined) differ = DiffThread.start();
    try {
      let done = parsedNow;
      for (let j = next(); j !== undefined; j = next()) {
        out.push(keep(local(j), j.text));
        if (++done % 100 === 0) opts.onProgress?.(done, total());
      }
      differ?.finish(spill!);
    } finally {
      differ?.close();
    }
  }
  return { files: sortedByFile(out), scanned, parsed, workers };
}

/**
 * Points a result's repeated strings (status, problem codes and messages, splice texts) at one
 * copy each. A result from a worker arrives with its own copy of every string: on the bench's
 * 20,000 files at 100%, 36,317 problems carry 411 distinct messages (~4 MiB held as ~0.05), and
 * 16,326 'changed' and ~10,000 copies of the canonical module's specifier come with them.
 */
function shareStrings(c: CompactProcessedFile, shared: Map<string, string>): void {
  const one = (s: string): string => {
    const t = shared.get(s);
    if (t !== undefined) return t;
    shared.set(s, s);
    return s;
  };
  const r = c.report;
  r.status = one(r.status) as FileReport['status'];
  for (const p of r.problems) {
    p.code = one(p.code);
    p.message = one(p.message);
  }
  if (c.splices) for (const e of c.splices as Edit[]) e.text = one(e.text);
}

export function summarize(reports: readonly FileReport[]): Record<FileReport['status'], number> {
  const s = { changed: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const r of reports) s[r.status]++;
  return s;
}
