/**
 * One phase, one verified commit: preflight → plan → baseline → apply → verify → commit,
 * or restore every touched byte and say which step failed. One repo snapshot serves the whole
 * run: the manifest is parsed once, the figures come from one scan before and a re-scan of
 * the changed files after.
 */
import { builtinPhase, RepoSnapshot, resolvePhaseOptions, type PhaseEntry, type PhaseOptionValues, type PhasePlan, type ReviewItem } from '../../codemods/index.js';
import type { SsotManifest } from '../../manifest/types.js';
import { commitWithReport, head, isGitRepo, phaseCommitMessage, phaseReport, treeOf, treeStatus, undoCommit, type TreeStatus } from '../git/index.js';
import { applyWrites, confineWrites } from './apply.js';
import { blockersProblem, commitBlockers } from './git-locks.js';
import { healthKey, loadHealth, saveHealth } from './health-cache.js';
import { beginOperation, endOperation, inOperation, pauseForTest, setJournal, setStep } from './interrupt.js';
import { assertNoJournal, beginJournal, JournalWriteError, lockRefusal, restoreFromJournal, type Journal } from './journal.js';
import { acquireRepoLock, LockError } from './lock.js';
import { checkedLedger, evidenceText, gateProblem, standsDone, type CheckedLedger } from './ledger.js';
import { planDiff } from './patch.js';
import { changedTrackedText, setAsideText, type SetAside } from './untracked.js';
import { baselineProblem, blindTypecheckProblem, compareHealth, measureHealth, VerifyKilledError, writeVerifyLog, type TreeHealth, type Verdict } from './verify.js';

export type PhaseStatus = 'committed' | 'nothing-to-do' | 'dry-run' | 'refused' | 'failed';

export interface PhaseOutcome {
  phase: string;
  status: PhaseStatus;
  /** The step that refused or failed: lock | journal | preflight | gate | transform | baseline | verify | commit. */
  step?: string;
  reason?: string;
  commit?: string;
  files?: number;
  edits?: number;
  compliance?: { before: number; after: number };
  verification?: Verdict;
  needsReview?: ReviewItem[];
  problems?: ReviewItem[];
  diff?: string;
  /** Failed: the untracked files created during the phase that restoring the tree moved out of it (untracked.ts). */
  setAside?: SetAside;
}

export interface RunOptions {
  dryRun?: boolean;
  allowDirty?: boolean;
  log?: (line: string) => void;
  /**
   * Phase options (declared by the phases; e.g. remove-shim's telemetry and window). `runPhase`
   * gives them to its phase; `runAll` gives each phase the ones it declares. A custom phase
   * takes them as overrides of its manifest `options`.
   */
  options?: PhaseOptionValues;
}

const reportIgnore = (m: SsotManifest) => (m.verify.testReport ? [m.verify.testReport] : []);

/** The options of `opts` that `entry` declares (all of them for a custom phase, which declares none). */
function optionsFor(entry: PhaseEntry, given: PhaseOptionValues | undefined, strict: boolean): PhaseOptionValues {
  if (!given) return entry.builtin ? resolvePhaseOptions(entry.phase, {}) : {};
  if (!entry.builtin) return { ...given };
  if (strict) return resolvePhaseOptions(entry.phase, given);
  const declared = new Set(entry.phase.options.flatMap((o) => [o.name, o.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())]));
  return resolvePhaseOptions(entry.phase, Object.fromEntries(Object.entries(given).filter(([k]) => declared.has(k))));
}

interface Ready {
  snapshot: RepoSnapshot;
  entry: PhaseEntry;
  options: PhaseOptionValues;
  /** No commit in HEAD's history records the phase (applied or taken back), none was found folded either. */
  unrecorded: boolean;
  /**
   * HEAD when the preflight read the ledger (undefined: no commit yet): the journal's base and the
   * baseline's cache key, without another `rev-parse` each. The run writes nothing to HEAD before
   * its commit, but the lock binds ssot-migrate only — a commit made by hand can move HEAD while the
   * phase plans — so runPrepared confirms it (one `rev-parse` after planning, before anything is
   * written) and refuses when HEAD moved.
   */
  base: string | undefined;
  /** base's tree, from the same read of the history: the baseline's health-cache key. */
  baseTree: string | undefined;
}

/** What `run --all` read already, under the same lock and with nothing written to the tree since: a phase's preflight takes it instead of reading it again. */
export interface Known {
  snapshot?: RepoSnapshot;
  ledger?: CheckedLedger;
  /**
   * The tree's status as the previous phase read it right after its commit (its check that the
   * commit took every file it wrote): the preflight's check for uncommitted changes. A change made
   * by hand since is one made while the phase plans: the check after planning (runPrepared) reads
   * the status again and refuses a phase that would write over it.
   */
  status?: TreeStatus;
}

export async function preflight(repo: string, phase: string, opts: RunOptions, strictOptions = true, known: Known = {}): Promise<Ready | PhaseOutcome> {
  let snapshot: RepoSnapshot | undefined;
  const refuse = (step: string, reason: string): PhaseOutcome => {
    snapshot?.takeGitPrefilter()?.stop(); // started for a plan that will not run
    return { phase, status: 'refused', step, reason };
  };
  if (!(await isGitRepo(repo))) return refuse('preflight', `${repo} is not a git work tree`);
  try {
    // a phase that prefilters every candidate by the manifest's legacy names has git search for them while the rest loads
    snapshot = known.snapshot ?? (await RepoSnapshot.open(repo, builtinPhase(phase)?.gitPrefilter === true ? { gitPrefilter: true } : {}));
  } catch (err) {
    return refuse('preflight', err instanceof Error ? err.message : String(err));
  }
  const entry = snapshot.phases.get(phase);
  if (!entry) return refuse('preflight', `unknown phase "${phase}"; phases are ${snapshot.phases.all.map((e) => e.phase.name).join(', ')}`);
  if (!snapshot.phases.isSelected(phase)) return refuse('preflight', `phase ${phase} is not selected by the manifest's "phases" (${snapshot.phases.selected.map((e) => e.phase.name).join(', ')})`);
  let options: PhaseOptionValues;
  try {
    options = optionsFor(entry, opts.options, strictOptions);
  } catch (err) {
    return refuse('preflight', (err as Error).message);
  }
  const ledger = known.ledger ?? (await checkedLedger(repo));
  const done = ledger.done;
  try {
    // the manifest against the repo (modules, exports, factory entries, classes, the fields the
    // selected phases need) before any phase plans — a dry run included
    snapshot.checkManifest({ legacyRemoved: done.has('remove-shim') });
  } catch (err) {
    return refuse('preflight', err instanceof Error ? err.message : String(err));
  }
  // a phase whose change a conflicted rebase or a hand edit partly took back runs again: its
  // transform finds what is missing (a second run of a phase changes nothing it already changed)
  const prior = standsDone(ledger, phase) ? done.get(phase) : undefined;
  if (prior) snapshot.takeGitPrefilter()?.stop();
  if (prior) return { phase, status: 'nothing-to-do', reason: `already committed in ${prior.commit.sha.slice(0, 10)} (${prior.commit.subject})${prior.folded || prior.reapplied ? `: ${prior.folded ?? prior.reapplied}` : ''}`, commit: prior.commit.sha };
  if (done.has(phase)) opts.log?.(`${phase}: committed in ${done.get(phase)!.commit.sha.slice(0, 10)}, but ${evidenceText(ledger.evidence.get(phase))}; running it again`);
  const gate = gateProblem(ledger, snapshot.phases.selectedBefore(phase).map((e) => e.phase.name));
  if (gate) return refuse('gate', gate);
  if (!opts.allowDirty && !opts.dryRun) {
    const ignore = reportIgnore(snapshot.manifest);
    const dirty = (known.status ?? (await treeStatus(repo))).dirty.filter((p) => !ignore.includes(p));
    if (dirty.length) return refuse('preflight', `the work tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}); commit or stash them, or pass --allow-dirty`);
  }
  const blocked = opts.dryRun ? undefined : blockersProblem(await commitBlockers(repo));
  if (blocked) return refuse('preflight', blocked);
  return { snapshot, entry, options, unrecorded: !done.has(phase) && !ledger.undone.has(phase), base: ledger.head, baseTree: ledger.headTree };
}

/** The tree's health, from the cache when the tree is clean and HEAD's tree (`headTree`, when the caller knows it) was measured before. */
export async function baselineHealth(repo: string, manifest: SsotManifest, clean: boolean, headTree?: string): Promise<TreeHealth> {
  const tree = clean ? (headTree ?? (await treeOf(repo, 'HEAD'))) : undefined;
  const key = healthKey(repo, manifest);
  if (tree) {
    const cached = await loadHealth(repo, tree, key);
    if (cached) return cached;
  }
  const h = await measureHealth(repo, manifest.verify);
  if (tree) await saveHealth(repo, tree, key, h);
  return h;
}

/**
 * Runs `body` holding the repository's lock, as the active operation the interrupt handlers
 * restore; refused (as an outcome for `phase`) when another operation holds the lock or an
 * interrupted phase left a journal.
 */
export async function withRepoLock<T>(repo: string, what: string, phase: string, log: (l: string) => void, refused: (o: PhaseOutcome) => T, body: () => Promise<T>): Promise<T> {
  if (!(await isGitRepo(repo))) return refused({ phase, status: 'refused', step: 'preflight', reason: `${repo} is not a git work tree` });
  let lock;
  try {
    lock = acquireRepoLock(repo, what);
  } catch (err) {
    if (err instanceof LockError) return refused({ phase, status: 'refused', step: 'lock', reason: lockRefusal(repo, err) });
    throw err;
  }
  if (lock.stale) log(lock.stale);
  if (lock.cleaned) log(lock.cleaned);
  // Before this operation's record of its gits replaces the interrupted one's: that record is how
  // the refusal (and a later `recover`) knows whether the interrupted operation's git still runs.
  try {
    assertNoJournal(repo, true);
  } catch (err) {
    lock.release();
    return refused({ phase, status: 'refused', step: 'journal', reason: (err as Error).message });
  }
  const op = beginOperation(repo, what, lock);
  try {
    return await inOperation(op, body);
  } finally {
    endOperation(op);
  }
}

export async function runPhase(repo: string, phase: string, opts: RunOptions = {}): Promise<PhaseOutcome> {
  return withRepoLock(repo, `ssot-migrate run ${phase}`, phase, opts.log ?? (() => {}), (o) => o, async () => runPrepared(await preflight(repo, phase, opts), opts));
}

/** `next`: given, it receives the tree's status read after the phase's commit (Known.status, for the next phase of `run --all`). */
async function runPrepared(pre: Ready | PhaseOutcome, opts: RunOptions, next?: Known): Promise<PhaseOutcome> {
  if ('status' in pre) return pre;
  const log = opts.log ?? (() => {});
  const { snapshot, entry, options } = pre;
  const { repo, manifest } = snapshot;
  const phase = entry.phase.name;
  await pauseForTest(repo, 'preflight');

  setStep('plan');
  log(`${phase}: planning`);
  let plan: PhasePlan;
  let before: number | undefined;
  try {
    // a dry run reports no compliance figures: the scan of the whole tree they come from is not made
    before = opts.dryRun ? undefined : (await snapshot.figures()).compliance;
    plan = await entry.phase.plan(snapshot, options);
  } catch (err) {
    // The reason is what a user acts on (a missing peer, a bad option); the stack only for a bug report, as the CLI does.
    const detail = err instanceof Error ? (process.env.SSOT_DEBUG ? err.stack ?? err.message : err.message) : String(err);
    return { phase, status: 'failed', step: 'transform', reason: detail };
  }
  const base: PhaseOutcome = { phase, status: 'refused', files: plan.writes.length, edits: plan.edits, needsReview: plan.needsReview, problems: plan.problems };
  if (plan.refusal) return { ...base, step: 'gate', reason: plan.refusal };
  await pauseForTest(repo, 'plan');
  // Every write where it really lands (symlinks followed), refused when that leaves the repo.
  const confined = confineWrites(repo, plan.writes);
  if (typeof confined === 'string') return { ...base, status: 'refused', step: 'transform', reason: `${phase} ${confined}` };
  plan = { ...plan, writes: confined };
  if (opts.dryRun || before === undefined) return { ...base, status: 'dry-run', diff: planDiff(repo, plan.writes) };
  // The plan holds whole files as they were at the preflight's HEAD (pre.base, also the journal's base and the
  // baseline's cache key): a commit made since, outside the run (the lock binds ssot-migrate, not a person's git),
  // could hold edits those writes would undo. One rev-parse; nothing written yet.
  const headNow = await head(repo);
  if (headNow !== pre.base) {
    return { ...base, step: 'preflight', reason: `HEAD moved from ${pre.base?.slice(0, 10) ?? 'no commit'} to ${headNow?.slice(0, 10) ?? 'no commit'} while ${phase} was planning (a commit made outside this run); nothing was written — run the phase again on the new HEAD` };
  }
  // --allow-dirty: a phase commit holds the phase's edits and nothing else, and a phase is never
  // recorded over uncommitted edits to the files it writes (or, when it finds nothing, at all).
  // The journal takes its lists of untracked and changed files from this status: nothing is written in between.
  const status = await treeStatus(repo);
  const dirty = status.dirty.filter((p) => !reportIgnore(manifest).includes(p));
  if (dirty.length) {
    const writes = new Set(plan.writes.map((w) => w.path));
    const overlap = dirty.filter((p) => writes.has(p));
    const list = (xs: string[]) => `${xs.slice(0, 10).join(', ')}${xs.length > 10 ? `, … (${xs.length})` : ''}`;
    if (overlap.length) return { ...base, step: 'preflight', reason: `--allow-dirty: ${phase} writes file(s) with uncommitted changes (${list(overlap)}); commit or stash those changes first — a phase commit holds the phase's edits only` };
    if (plan.writes.length === 0) return { ...base, step: 'preflight', reason: `--allow-dirty: ${phase} found nothing to change in a tree with uncommitted changes (${list(dirty)}); they may be this phase's own edits left uncommitted, so it is not recorded as done. Commit or stash them and run it again` };
  }
  if (plan.writes.length === 0) {
    // Recorded all the same (an empty commit), so the next phase's gate sees this one done.
    setStep('commit');
    const verdict: Verdict = { ok: true, failures: [], summary: 'no files changed; nothing to verify' };
    const baseSha = pre.base;
    let sha: string;
    try {
      sha = (await commitWithReport(repo, [], phaseCommitMessage(plan, { files: 0, before, after: before }, verdict.summary, { report: true }), phaseReport(plan, []))).sha;
    } catch (err) {
      if (baseSha) await undoCommit(repo, baseSha);
      return { ...base, status: 'failed', step: 'commit', reason: err instanceof Error ? err.message : String(err) };
    }
    // The empty commit's tree is its parent's: the health cache (keyed by tree) already holds what
    // was verified there, so the next phase's baseline comes from it, not a new typecheck and test run.
    // A phase no commit records (nor a fold found) that finds nothing to change: the tree never
    // needed it, or its change came in by a commit nothing ties to it any more — said, not guessed.
    const reason = pre.unrecorded
      ? `the transform found nothing to change: the tree already holds what ${phase} writes, and no commit of it is in this history (ledger and folds checked) — recorded as a phase that had nothing to change. If its change came in by a commit a fixup folded and whose report note and original commit are both gone, that commit cannot be pointed at`
      : 'the transform found nothing to change';
    return { ...base, status: 'committed', commit: sha, compliance: { before, after: before }, verification: verdict, reason };
  }

  const clean = dirty.length === 0;
  setStep('baseline');
  // The journal (original bytes, base commit, the untracked files there are) is on disk before the
  // baseline's verify commands run — they write files too (a build's out/, coverage/) — and before
  // the first file is touched.
  let journal: Journal;
  try {
    journal = beginJournal(repo, { kind: 'phase', phase, base: pre.base, step: 'baseline', paths: plan.writes.map((w) => w.path), status });
  } catch (err) {
    if (!(err instanceof JournalWriteError)) throw err;
    return { ...base, status: 'failed', step: 'baseline', reason: err.message };
  }
  setJournal(journal);
  let setAside: SetAside | undefined;
  let changedTracked: string[] | undefined;
  const restore = () => {
    setJournal(undefined);
    ({ setAside, changedTracked } = restoreFromJournal(repo, journal.data));
  };
  /** The reason, plus what the restore moved out of the tree and the tracked files it left changed (named so nothing happens unannounced). */
  const withSetAside = (reason: string) => [reason, ...(setAside ? [`restored the tree: ${setAsideText(setAside)}`] : []), ...(changedTracked ? [changedTrackedText(changedTracked)] : [])].join('\n');
  log(`${phase}: measuring the baseline (${manifest.verify.typecheck}; ${manifest.verify.test})`);
  let baseline: TreeHealth;
  try {
    baseline = await baselineHealth(repo, manifest, clean, pre.baseTree);
  } catch (err) {
    restore();
    if (!(err instanceof VerifyKilledError)) throw err;
    return { ...base, status: 'failed', step: 'baseline', reason: withSetAside(`${err.message}\nno file of the phase had been written`), ...(setAside ? { setAside } : {}) };
  }
  const problem = baselineProblem(baseline, manifest.verify) ?? blindTypecheckProblem(repo, baseline);
  if (problem) {
    restore();
    return { ...base, step: 'baseline', reason: withSetAside(problem), ...(setAside ? { setAside } : {}) };
  }
  await pauseForTest(repo, 'baseline');

  setStep('apply');
  log(`${phase}: applying ${plan.writes.length} file(s), ${plan.edits} edit(s)`);
  let applied;
  try {
    applied = applyWrites(repo, plan.writes);
  } catch (err) {
    restore();
    return { ...base, status: 'failed', step: 'apply', reason: withSetAside(err instanceof Error ? err.message : String(err)), ...(setAside ? { setAside } : {}) };
  }
  await pauseForTest(repo, 'apply');
  let verdict: Verdict;
  let afterHealth: TreeHealth;
  let after: number;
  try {
    setStep('verify');
    await pauseForTest(repo, 'verify');
    log(`${phase}: verifying`);
    afterHealth = await measureHealth(repo, manifest.verify);
    verdict = compareHealth(baseline, afterHealth);
    if (!verdict.ok) {
      restore();
      verdict.log = writeVerifyLog(repo, phase, afterHealth);
      return { ...base, status: 'failed', step: 'verify', reason: withSetAside(`${verdict.failures.join('\n')}\nfull output of both commands: ${verdict.log}`), verification: verdict, ...(setAside ? { setAside } : {}) };
    }
    after = (await snapshot.figuresAfter(plan.writes)).compliance;
  } catch (err) {
    restore();
    return { ...base, status: 'failed', step: 'verify', reason: withSetAside(err instanceof Error ? err.message : String(err)), ...(setAside ? { setAside } : {}) };
  }
  let sha: string;
  let tree: string;
  try {
    setStep('commit');
    ({ sha, tree } = await commitWithReport(repo, applied.paths, phaseCommitMessage(plan, { files: plan.writes.length, before, after }, verdict.summary, { report: true }), phaseReport(plan, applied.paths)));
    const committed = await treeStatus(repo);
    const left = committed.dirty.filter((p) => applied.paths.includes(p));
    if (left.length) throw new Error(`the phase commit ${sha.slice(0, 10)} left ${left.length} of the phase's file(s) uncommitted (${left.slice(0, 5).join(', ')}); it is undone`);
    if (next) next.status = committed;
  } catch (err) {
    restore();
    return { ...base, status: 'failed', step: 'commit', reason: withSetAside(err instanceof Error ? err.message : String(err)), ...(setAside ? { setAside } : {}) };
  }
  await pauseForTest(repo, 'commit');
  finish(journal);
  // The committed tree is the one just verified: the next phase's baseline is already known.
  if (clean) await saveHealth(repo, tree, healthKey(repo, manifest), afterHealth);
  return { ...base, status: 'committed', commit: sha, compliance: { before, after }, verification: verdict };
}

function finish(journal: Journal): void {
  setJournal(undefined);
  journal.clear();
}

/**
 * Runs the remaining selected phases in order, one commit each, stopping at the first failure.
 * Each phase gets a fresh snapshot: the previous one's commit changed the tree (and maybe the manifest).
 */
export async function runAll(repo: string, opts: RunOptions = {}): Promise<PhaseOutcome[]> {
  return withRepoLock(repo, 'ssot-migrate run --all', '(all)', opts.log ?? (() => {}), (o) => [o], async () => {
    const outcomes: PhaseOutcome[] = [];
    let snapshot: RepoSnapshot;
    try {
      snapshot = await RepoSnapshot.open(repo);
    } catch (err) {
      return [{ phase: '(all)', status: 'refused', step: 'preflight', reason: err instanceof Error ? err.message : String(err) }];
    }
    const ledger = await checkedLedger(repo);
    // the first phase's preflight would read both again, with nothing written since (the lock is held)
    let known: Known = { snapshot, ledger };
    for (const entry of snapshot.phases.selected.filter((e) => !standsDone(ledger, e.phase.name))) {
      setStep('preflight');
      let reuse: Known;
      // a builtin phase that prefilters by git grep opens its own snapshot, which starts the grep
      if (builtinPhase(entry.phase.name)?.gitPrefilter === true) reuse = { ...known, snapshot: undefined };
      else reuse = known;
      // a later phase follows a commit: it reads the tree and the history anew, all but the status its predecessor read after committing
      known = {};
      const o = await runPrepared(await preflight(repo, entry.phase.name, opts, false, reuse), opts, known);
      outcomes.push(o);
      if (o.status !== 'committed' && o.status !== 'nothing-to-do') break;
    }
    return outcomes;
  });
}
