/**
 * `rollback <phase>`: reverts that phase's commit and those of the phases after it — after it in
 * the manifest's run order or in history (a reordered history: both) — newest commit first, each
 * revert verified like a phase and recorded with an SSOT-Rollback trailer so the ledger forgets
 * the phase. A commit is reverted whole: one that phases were squashed into takes them all back
 * (refused when the phase asked for is not the first of them), and one that also changes files
 * none of its phases wrote (an app commit squashed in) is refused — the revert would take those
 * changes back too. A plan whose reverts would conflict (a phase's file edited or partly taken
 * back since) is refused before the first revert lands, naming the files (git.ts revertConflicts).
 */
import { resolvePhaseOrder } from '../../codemods/index.js';
import { loadManifest, MANIFEST_FILE } from '../../manifest/index.js';
import type { SsotManifest } from '../../manifest/types.js';
import { commitFiles, commitLog, commitStaged, dirtyPaths, head, ledgerMarks, phaseCommitReport, revertConflicts, revertNoCommit, rollbackCommitMessage, stagedTree, TRAILER } from '../git/index.js';
import { blockersProblem, commitBlockers } from './git-locks.js';
import { foldedPhases } from './folded.js';
import { committedPhases, type PhaseRecord } from './ledger.js';
import { healthKey, loadHealth, saveHealth } from './health-cache.js';
import { pauseForTest, setJournal, setStep } from './interrupt.js';
import { beginJournal, JournalWriteError, restoreFromJournal } from './journal.js';
import { baselineHealth, withRepoLock } from './run-phase.js';
import { changedTrackedText, setAsideText, type SetAside } from './untracked.js';
import { baselineProblem, compareHealth, measureHealth, VerifyKilledError, writeVerifyLog, type Verdict } from './verify.js';

export interface RollbackStep {
  phase: string;
  reverted: string;
  commit?: string;
  verification?: Verdict;
}

export interface RollbackOutcome {
  ok: boolean;
  steps: RollbackStep[];
  reason?: string;
}

export async function rollbackPhase(repo: string, phase: string, log: (l: string) => void = () => {}): Promise<RollbackOutcome> {
  return withRepoLock(repo, `ssot-migrate rollback ${phase}`, phase, log, (o): RollbackOutcome => ({ ok: false, steps: [], reason: o.reason ?? o.status }), () => rollbackLocked(repo, phase, log));
}

async function rollbackLocked(repo: string, phase: string, log: (l: string) => void): Promise<RollbackOutcome> {
  const manifest = await loadManifest(repo);
  const done = await committedPhases(repo);
  const target = done.get(phase);
  if (!target) {
    const [folded] = await foldedPhases(repo, await commitLog(repo), (p) => p === phase);
    if (folded) return { ok: false, steps: [], reason: `phase ${phase}'s commit was folded into ${folded.into.sha.slice(0, 10)} (${folded.into.subject}) by a fixup, which dropped its message: a revert of that commit would take back what else it holds too. Split it first (git rebase -i, edit), or revert by hand what you mean to` };
    return { ok: false, steps: [], reason: `phase ${phase} is not committed; nothing to roll back (committed: ${[...done.keys()].join(', ') || 'none'})` };
  }
  const dirty = await dirtyPaths(repo, manifest.verify.testReport ? [manifest.verify.testReport] : []);
  if (dirty.length) return { ok: false, steps: [], reason: `the work tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}); rollback needs a clean tree` };
  const blocked = blockersProblem(await commitBlockers(repo));
  if (blocked) return { ok: false, steps: [], reason: blocked };

  const plan = await revertPlan(repo, manifest, done, target);
  if (typeof plan === 'string') return { ok: false, steps: [], reason: plan };
  const toRevert = plan;
  // a revert that would conflict (a file of the phase edited or partly taken back since) is
  // refused before the first one lands: never a rollback stopped halfway, some reverts committed
  const conflict = await revertConflicts(repo, toRevert.map((r) => r.commit.sha));
  if (conflict) {
    const rec = toRevert.find((r) => r.commit.sha === conflict.sha)!;
    const one = conflict.files.length === 1;
    const where = conflict.files.length ? `would conflict in ${conflict.files.slice(0, 10).join(', ')}${conflict.files.length > 10 ? `, … ${conflict.files.length - 10} more` : ''} — changed since the phase wrote ${one ? 'it' : 'them'} (\`ssot-migrate status\` says how)` : `would not apply: ${conflict.said}`;
    return { ok: false, steps: [], reason: `rollback of ${phase}: reverting ${rec.phase} (${rec.commit.sha.slice(0, 10)}) ${where}; nothing was changed. Bring ${one ? 'that file' : 'those files'} back to what the phase wrote and roll back again, or revert by hand (git revert ${rec.commit.sha.slice(0, 10)}) and resolve the conflict` };
  }
  const steps: RollbackStep[] = [];
  for (const rec of toRevert) {
    setStep('baseline');
    log(`rollback: reverting ${rec.phase} (${rec.commit.sha.slice(0, 10)})`);
    // The journal first: the baseline's verify commands write files too (a build's out/, coverage/)
    let journal;
    try {
      journal = beginJournal(repo, { kind: 'rollback', phase: rec.phase, base: await head(repo), step: 'baseline', paths: await commitFiles(repo, rec.commit.sha) });
    } catch (err) {
      if (!(err instanceof JournalWriteError)) throw err;
      return { ok: false, steps, reason: `rollback of ${rec.phase}: ${err.message}` };
    }
    setJournal(journal);
    let setAside: SetAside | undefined;
    let changedTracked: string[] | undefined;
    const restore = () => {
      setJournal(undefined);
      ({ setAside, changedTracked } = restoreFromJournal(repo, journal.data));
    };
    const withSetAside = (reason: string) => [reason, ...(setAside ? [`restored the tree: ${setAsideText(setAside)}`] : []), ...(changedTracked ? [changedTrackedText(changedTracked)] : [])].join('\n');
    let before;
    try {
      before = await baselineHealth(repo, manifest, true); // the tree is clean here
    } catch (err) {
      restore();
      if (!(err instanceof VerifyKilledError)) throw err;
      return { ok: false, steps, reason: withSetAside(`rollback of ${rec.phase}: ${err.message}`) };
    }
    const problem = baselineProblem(before, manifest.verify);
    if (problem) {
      restore();
      return { ok: false, steps, reason: withSetAside(`rollback of ${rec.phase}: ${problem}`) };
    }
    await pauseForTest(repo, 'baseline');
    setStep('apply');
    try {
      await revertNoCommit(repo, rec.commit.sha);
    } catch (err) {
      restore();
      return { ok: false, steps, reason: withSetAside(`rollback of ${rec.phase}: git revert failed: ${err instanceof Error ? err.message : String(err)}`) };
    }
    await pauseForTest(repo, 'apply');
    setStep('verify');
    await pauseForTest(repo, 'verify');
    let afterHealth;
    let reverted: string | undefined; // the tree measured, to record once committed
    try {
      // The revert's tree is most often one measured before: the one the reverted phase started
      // from (its baseline) when nothing was committed on top. The work tree is that staged tree
      // (no unstaged change), so its figures are the ones the verify commands would give again.
      reverted = await stagedTree(repo, manifest.verify.testReport ? [manifest.verify.testReport] : []);
      const cached = reverted ? await loadHealth(repo, reverted, healthKey(repo, manifest)) : undefined;
      if (cached) reverted = undefined; // nothing new to record
      afterHealth = cached ?? (await measureHealth(repo, manifest.verify));
    } catch (err) {
      restore();
      if (!(err instanceof VerifyKilledError)) throw err;
      return { ok: false, steps, reason: withSetAside(`rollback of ${rec.phase}: ${err.message}`) };
    }
    const verdict = compareHealth(before, afterHealth);
    if (!verdict.ok) {
      restore();
      verdict.log = writeVerifyLog(repo, `rollback-${rec.phase}`, afterHealth);
      return { ok: false, steps: [...steps, { phase: rec.phase, reverted: rec.commit.sha, verification: verdict }], reason: withSetAside(`rollback of ${rec.phase} failed verification:\n${verdict.failures.join('\n')}\nfull output of both commands: ${verdict.log}`) };
    }
    setStep('commit');
    let sha: string;
    try {
      sha = await commitStaged(repo, rollbackCommitMessage(rec.phases, rec.commit.sha, verdict.summary));
    } catch (err) {
      restore();
      return { ok: false, steps, reason: withSetAside(`rollback of ${rec.phase}: ${err instanceof Error ? err.message : String(err)}`) };
    }
    await pauseForTest(repo, 'commit');
    setJournal(undefined);
    journal.clear();
    // the tree the verify commands measured, as staged (a commit hook may have changed what was committed)
    if (reverted) await saveHealth(repo, reverted, healthKey(repo, manifest), afterHealth);
    steps.push({ phase: rec.phase, reverted: rec.commit.sha, commit: sha, verification: verdict });
  }
  return { ok: true, steps };
}

/** One commit to revert: its record (phase: every phase it takes back, joined) and those phases. */
type Revert = PhaseRecord & { phases: readonly string[] };

/** The commits `rollback <target.phase>` reverts, newest first; or why it is refused. */
async function revertPlan(repo: string, manifest: SsotManifest, done: Map<string, PhaseRecord>, target: PhaseRecord): Promise<Revert[] | string> {
  /** The phases a commit still applies (a phase re-applied by a later commit is that commit's). */
  const appliedBy = (rec: PhaseRecord) => rec.together.filter((p) => done.get(p)?.commit.sha === rec.commit.sha);
  const first = appliedBy(target)[0]!;
  if (first !== target.phase) {
    const all = appliedBy(target);
    return `${target.phase} was squashed into ${target.commit.sha.slice(0, 10)} with ${all.filter((p) => p !== target.phase).join(', ')}: a revert of that commit takes back ${all.join(', ')} together. \`ssot-migrate rollback ${first}\` does that (and rolls back the phases after it); to roll back ${target.phase} alone, split the commit first (git rebase -i, edit)`;
  }
  let order: string[] = [];
  try {
    order = resolvePhaseOrder(manifest, MANIFEST_FILE).all.map((e) => e.phase.name);
  } catch {
    // an unreadable order: history alone says what is after
  }
  const rank = (p: string) => order.indexOf(p);
  const after = (rec: PhaseRecord) => rec.index >= target.index || (rank(rec.phase) >= 0 && rank(target.phase) >= 0 && rank(rec.phase) >= rank(target.phase));
  const byCommit = new Map<string, PhaseRecord>();
  for (const rec of done.values()) if (after(rec)) byCommit.set(rec.commit.sha, rec);
  const plan = [...byCommit.values()].sort((a, b) => b.index - a.index).map((rec) => ({ ...rec, phases: appliedBy(rec), phase: appliedBy(rec).join(', ') }));
  for (const rec of plan) {
    const extra = await filesNoPhaseWrote(repo, rec);
    if (extra) return `${rec.phase} is in ${rec.commit.sha.slice(0, 10)}, which ${extra}: reverting it would take those changes back too. Split the commit first (git rebase -i, edit), or revert by hand what you mean to`;
  }
  return plan;
}

/** What a phase commit changes besides its phases' own files (an app commit squashed into it), said; undefined when nothing. */
async function filesNoPhaseWrote(repo: string, rec: Revert): Promise<string | undefined> {
  const marks = ledgerMarks(rec.commit.message).filter((m) => m.kind === 'phase' && rec.phases.includes(m.phase));
  // a revert of a revert carries no phase's trailers: it changes exactly what the phase commit did
  if (marks.length < rec.phases.length) return undefined;
  const changed = await commitFiles(repo, rec.commit.sha);
  const reports = await Promise.all(rec.phases.map((p) => phaseCommitReport(repo, rec.commit, p)));
  if (reports.every((r) => r.from === 'note')) {
    const written = new Set(reports.flatMap((r) => r.files));
    const extra = changed.filter((f) => !written.has(f));
    return extra.length ? `also changes file(s) no phase in it wrote (${extra.slice(0, 5).join(', ')}${extra.length > 5 ? `, … ${extra.length}` : ''})` : undefined;
  }
  // no report to list them: the count its trailers give
  const declared = marks.reduce((n, m) => n + (m.kind === 'phase' ? Number(m.trailers[TRAILER.files]) || 0 : 0), 0);
  return changed.length > declared ? `changes ${changed.length} file(s) where its phases' ${TRAILER.files} say ${declared}` : undefined;
}
