/**
 * `rollback <phase>`: reverts that phase's commit, the phase commits made after it first (newest
 * first, by history — no phase list needed), each revert verified like a phase and recorded with
 * an SSOT-Rollback trailer so the ledger forgets the phase.
 */
import { loadManifest } from '../../manifest/index.js';
import { commitFiles, commitStaged, dirtyPaths, head, revertNoCommit, rollbackCommitMessage } from '../git/index.js';
import { blockersProblem, commitBlockers } from './git-locks.js';
import { committedPhases } from './ledger.js';
import { healthKey, saveHealth } from './health-cache.js';
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
  if (!target) return { ok: false, steps: [], reason: `phase ${phase} is not committed; nothing to roll back (committed: ${[...done.keys()].join(', ') || 'none'})` };
  const dirty = await dirtyPaths(repo, manifest.verify.testReport ? [manifest.verify.testReport] : []);
  if (dirty.length) return { ok: false, steps: [], reason: `the work tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}); rollback needs a clean tree` };
  const blocked = blockersProblem(await commitBlockers(repo));
  if (blocked) return { ok: false, steps: [], reason: blocked };

  const toRevert = [...done.values()].filter((r) => r.index >= target.index).sort((a, b) => b.index - a.index);
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
    try {
      afterHealth = await measureHealth(repo, manifest.verify);
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
      sha = await commitStaged(repo, rollbackCommitMessage(rec.phase, rec.commit.sha, verdict.summary));
    } catch (err) {
      restore();
      return { ok: false, steps, reason: withSetAside(`rollback of ${rec.phase}: ${err instanceof Error ? err.message : String(err)}`) };
    }
    await pauseForTest(repo, 'commit');
    setJournal(undefined);
    journal.clear();
    await saveHealth(repo, sha, healthKey(repo, manifest), afterHealth);
    steps.push({ phase: rec.phase, reverted: rec.commit.sha, commit: sha, verification: verdict });
  }
  return { ok: true, steps };
}
