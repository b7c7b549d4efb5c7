/** Which commit a review is about: a phase name (its latest SSOT-Phase commit) or any commit. */
import { BUILTIN_PHASES, RepoSnapshot } from '../../codemods/index.js';
import { commitLog, isGitRepo, ledgerMarks, readCommit, resolveCommit, TRAILER, type LogEntry } from '../git/index.js';
import type { PhaseEvidence } from '../runner/evidence.js';
import { checkedLedger, evidenceText } from '../runner/ledger.js';

export { commitDiff } from '../git/index.js';

export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

export type CommitInfo = LogEntry;

export interface ResolvedTarget {
  commit: CommitInfo;
  /** The phase asked for, when the argument was a phase name. */
  phase?: string;
  /** The later commit that took this phase back (the runner's rollback or a hand `git revert`), while the phase stays taken back. */
  rolledBackBy?: string;
  /**
   * Set when `commit` re-applies the phase by reverting the commit that took it back (a revert of a
   * revert): the phase commit whose change it brings back. Its message and report note hold the
   * phase's figures and lists; the re-applying commit has neither.
   */
  reapplies?: CommitInfo;
  /** A done phase whose tree is not the one it committed: what `status` says about it (files changed since, partly undone, not verifiable). */
  evidence?: { verdict: PhaseEvidence['verdict']; text: string };
}

/** The repo's phase names (built-in and its manifest's custom ones); the registry's when the manifest cannot be read. */
async function phaseNames(repo: string): Promise<string[]> {
  try {
    return (await RepoSnapshot.open(repo)).phases.all.map((e) => e.phase.name);
  } catch {
    return BUILTIN_PHASES.map((p) => p.name);
  }
}

/**
 * A phase name resolves to the latest commit carrying `SSOT-Phase: <name>`; anything else must
 * name a commit. Errors say what exists, so a typo is easy to fix.
 */
export async function resolveTarget(repo: string, ref: string): Promise<ResolvedTarget> {
  if (!(await isGitRepo(repo))) throw new ReviewError(`${repo} is not a git work tree`);
  const oldestFirst = await commitLog(repo);
  const log = [...oldestFirst].reverse(); // newest first
  // the ledger's answer (status's and run's): a hand `git revert` takes a phase back as a rollback
  // does, and a revert of either applies it again; a squashed commit applies every phase it carries
  const ledger = await checkedLedger(repo, oldestFirst);
  const phaseCommit = ledger.done.get(ref)?.commit ?? log.find((c) => ledgerMarks(c.message).some((m) => m.kind === 'phase' && m.phase === ref));
  const names = await phaseNames(repo);
  if (phaseCommit) {
    const undoneBy = ledger.undone.get(ref);
    const target: ResolvedTarget = { commit: phaseCommit, phase: ref };
    if (undoneBy) target.rolledBackBy = undoneBy;
    const reapplies = ledger.done.get(ref)?.applied.at(-1)?.source;
    if (reapplies) target.reapplies = reapplies;
    const evidence = ledger.evidence.get(ref);
    // files that changed or lost the change since; a note without output blobs is status's to say ("not verifiable"), not a warning on every old review
    if (evidence && (evidence.undone.length || evidence.changed.length)) target.evidence = { verdict: evidence.verdict, text: evidenceText(evidence) };
    return target;
  }
  if (names.includes(ref)) {
    const phases = [...new Set(log.map((c) => c.phase).filter(Boolean))];
    throw new ReviewError(`no commit with "${TRAILER.phase}: ${ref}" in ${repo} (phases committed: ${phases.length ? phases.join(', ') : 'none'})`);
  }
  const sha = await resolveCommit(repo, ref);
  if (!sha) throw new ReviewError(`"${ref}" is neither a phase (${names.join(', ')}) nor a commit in ${repo}`);
  const commit = await readCommit(repo, sha);
  return commit.phase ? { commit, phase: commit.phase } : { commit };
}
