/**
 * Which phases are committed, read from git history alone — the only state the runner keeps:
 * a commit with an SSOT-Phase trailer applies its phase; the runner's rollback (SSOT-Rollback)
 * takes it back; and so does a person's own `git revert` of the phase commit, which carries none of
 * our trailers, only git's "This reverts commit <sha>." line. A revert of a revert (or of our
 * rollback commit) applies the phase again. Without that, `status` said "done" and `run` said
 * "already committed" for a phase whose change a hand revert had taken out of the tree.
 */
import { commitLog, type LogEntry, TRAILER } from '../git/index.js';

export interface PhaseRecord {
  phase: string;
  /** The commit that put the phase's change in the tree: its phase commit, or a revert of the commit that had taken it back. */
  commit: LogEntry;
  /** Position in history (oldest first), so later phases are known without a phase list. */
  index: number;
}

export interface PhaseLedger {
  /** The phases whose change is in HEAD's history, each with the commit that applied it last. */
  done: Map<string, PhaseRecord>;
  /** The phases applied once and taken back since (a rollback or a hand revert): the sha of the commit that took each back. */
  undone: Map<string, string>;
}

/** git's own line in a revert's message (`git revert`, also for "Reapply"); the sha may be SHA-1 or SHA-256. */
const REVERTS_LINE = /^This reverts commit ([0-9a-f]{40}(?:[0-9a-f]{24})?)\b/m;

export function ledgerOf(log: readonly LogEntry[]): PhaseLedger {
  const done = new Map<string, PhaseRecord>();
  const undone = new Map<string, string>();
  /** Per commit that changed a phase's state: which phase, and whether it applied it. */
  const effects = new Map<string, { phase: string; applies: boolean }>();
  /** Per phase, the commit its current state comes from: only reverting that one changes it. */
  const current = new Map<string, string>();
  log.forEach((entry, index) => {
    let effect: { phase: string; applies: boolean } | undefined;
    const rolledBack = entry.trailers[TRAILER.rollback];
    if (rolledBack) effect = { phase: rolledBack, applies: false };
    else if (entry.phase) effect = { phase: entry.phase, applies: true };
    else {
      const target = REVERTS_LINE.exec(entry.message)?.[1];
      const of = target ? effects.get(target) : undefined;
      // a revert of a commit that no longer decides the phase's state (superseded since) changes nothing
      if (of && current.get(of.phase) === target) effect = { phase: of.phase, applies: !of.applies };
    }
    if (!effect) return;
    effects.set(entry.sha, effect);
    current.set(effect.phase, entry.sha);
    if (effect.applies) {
      done.set(effect.phase, { phase: effect.phase, commit: entry, index });
      undone.delete(effect.phase);
    } else {
      done.delete(effect.phase);
      undone.set(effect.phase, entry.sha);
    }
  });
  return { done, undone };
}

export async function phaseLedger(repo: string): Promise<PhaseLedger> {
  return ledgerOf(await commitLog(repo));
}

export async function committedPhases(repo: string): Promise<Map<string, PhaseRecord>> {
  return (await phaseLedger(repo)).done;
}
