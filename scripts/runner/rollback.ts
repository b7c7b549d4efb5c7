/**
 * `rollback <phase>`: reverts that phase's commit, the phase commits made after it first (newest
 * first, by history — no phase list needed), each revert verified like a phase and recorded with
 * an SSOT-Rollback trailer so the ledger forgets the phase.
 */
import { loadManifest } from '../../manifest/index.js';
import { abortRevert, commitStaged, dirtyPaths, isGitRepo, revertNoCommit, rollbackCommitMessage } from '../git/index.js';
import { committedPhases } from './ledger.js';
import { saveHealth } from './health-cache.js';
import { baselineHealth, verifyKey } from './run-phase.js';
import { baselineProblem, compareHealth, measureHealth, type Verdict } from './verify.js';

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
  if (!(await isGitRepo(repo))) return { ok: false, steps: [], reason: `${repo} is not a git work tree` };
  const manifest = await loadManifest(repo);
  const done = await committedPhases(repo);
  const target = done.get(phase);
  if (!target) return { ok: false, steps: [], reason: `phase ${phase} is not committed; nothing to roll back (committed: ${[...done.keys()].join(', ') || 'none'})` };
  const dirty = await dirtyPaths(repo, manifest.verify.testReport ? [manifest.verify.testReport] : []);
  if (dirty.length) return { ok: false, steps: [], reason: `the work tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}); rollback needs a clean tree` };

  const toRevert = [...done.values()].filter((r) => r.index >= target.index).sort((a, b) => b.index - a.index);
  const steps: RollbackStep[] = [];
  for (const rec of toRevert) {
    log(`rollback: reverting ${rec.phase} (${rec.commit.sha.slice(0, 10)})`);
    const before = await baselineHealth(repo, manifest, true); // the tree is clean here
    const problem = baselineProblem(before, manifest.verify);
    if (problem) return { ok: false, steps, reason: `rollback of ${rec.phase}: ${problem}` };
    try {
      await revertNoCommit(repo, rec.commit.sha);
    } catch (err) {
      await abortRevert(repo);
      return { ok: false, steps, reason: `rollback of ${rec.phase}: git revert failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const afterHealth = await measureHealth(repo, manifest.verify);
    const verdict = compareHealth(before, afterHealth);
    if (!verdict.ok) {
      await abortRevert(repo);
      return { ok: false, steps: [...steps, { phase: rec.phase, reverted: rec.commit.sha, verification: verdict }], reason: `rollback of ${rec.phase} failed verification:\n${verdict.failures.join('\n')}` };
    }
    const sha = await commitStaged(repo, rollbackCommitMessage(rec.phase, rec.commit.sha, verdict.summary));
    await saveHealth(repo, sha, verifyKey(manifest), afterHealth);
    steps.push({ phase: rec.phase, reverted: rec.commit.sha, commit: sha, verification: verdict });
  }
  return { ok: true, steps };
}
