/**
 * Which phases are committed, read from git history alone — the only state the runner keeps:
 * a commit with an SSOT-Phase trailer block applies its phase; the runner's rollback (SSOT-Rollback)
 * takes it back; and so does a person's own `git revert` of the phase commit, which carries none of
 * our trailers, only git's "This reverts commit <sha>." line. A revert of a revert (or of our
 * rollback commit) applies the phase again. Without that, `status` said "done" and `run` said
 * "already committed" for a phase whose change a hand revert had taken out of the tree.
 *
 * History rewritten by hand is followed by the messages, not the hashes: a squash carries every
 * squashed commit's trailer block (each counts, in order: ledgerMarks), and a revert whose
 * "This reverts commit <sha>" names a hash a rebase replaced is matched to the commit with that
 * hash's message (rebase keeps messages) — or, where the old commit is gone (gc, a clone), with
 * the subject in git's `Revert "<subject>"`.
 */
import { commitLog, commitMessages, ledgerMarks, messageIdentity, readReportNotes, type LogEntry } from '../git/index.js';
import { phaseEvidence, type PhaseEvidence } from './evidence.js';
import { foldedPhases } from './folded.js';

export interface PhaseRecord {
  phase: string;
  /** The commit that put the phase's change in the tree: its phase commit, or a revert of the commit that had taken it back. */
  commit: LogEntry;
  /** Position in history (oldest first), so later phases are known without a phase list. */
  index: number;
  /** Every phase that commit applied, in its message's order: more than one when phase commits were squashed into it. */
  together: readonly string[];
  /**
   * Every commit that applied the phase since it was last taken back, oldest first, with its
   * position in history: `run` of a partly undone phase adds a commit re-applying the files it
   * lost, and the files of the first are still the phase's (runner/evidence.ts checks them all).
   */
  applied: readonly Application[];
  /** Set when a fixup folded the phase commit into `commit` (its message dropped): the phase commit, whose note stayed on it (runner/folded.ts); it may be pruned since. */
  foldedFrom?: string;
  /** Set when the phase was found folded into `commit`: how, said for a person. */
  folded?: string;
  /** Set when `commit` re-applies the phase by reverting the commit that took it back (a revert of a revert, or of a rollback): which phase commit(s) it brings back, said for a person. */
  reapplied?: string;
}

/** One commit that applied a phase, and where in history it stands. */
export interface Application {
  commit: LogEntry;
  index: number;
  /**
   * Set when `commit` re-applies the phase by reverting the commit that took it back: the phase
   * commit whose change it brings back. `commit` carries no phase trailers and has no report note
   * of its own; what it brings back is that commit's change, so the tree is checked against that
   * commit's report (runner/evidence.ts). Before, such a phase read "not verifiable".
   */
  source?: LogEntry;
}

export interface PhaseLedger {
  /** The phases whose change is in HEAD's history, each with the commit that applied it last. */
  done: Map<string, PhaseRecord>;
  /** The phases applied once and taken back since (a rollback or a hand revert): the sha of the commit that took each back. */
  undone: Map<string, string>;
}

interface Effect {
  phase: string;
  applies: boolean;
  /** A commit that took the phase back: the applications it took back (a revert of it brings them back). */
  undid?: readonly Application[];
}

/** git revert's subject: `Revert "<subject>"`, and `Reapply "<subject>"` for a revert of a revert. */
const REVERT_SUBJECT = /^(Revert|Reapply) "(.*)"$/;

/**
 * The ledger of `log` (oldest first). `foreign`: messages of commits a revert names that are not
 * in `log` (a rebase's old hashes still in the object store), to match them by message.
 */
export function ledgerOf(log: readonly LogEntry[], foreign: ReadonlyMap<string, string> = new Map()): PhaseLedger {
  const done = new Map<string, PhaseRecord>();
  const undone = new Map<string, string>();
  /** Per commit that changed a phase's state: which phases, and whether it applied each. */
  const effects = new Map<string, Effect[]>();
  /** Per phase, the commit its current state comes from: only reverting that one changes it. */
  const current = new Map<string, string>();
  /** The latest commit that changed a phase's state, per message and per subject (a rebased revert's target). */
  const byMessage = new Map<string, string>();
  const bySubject = new Map<string, string>();
  log.forEach((entry, index) => {
    const mine: Effect[] = [];
    const together: string[] = [];
    const set = (phase: string, applies: boolean, restores?: readonly Application[]) => {
      const effect: Effect = { phase, applies };
      mine.push(effect);
      current.set(phase, entry.sha);
      if (applies) {
        if (!together.includes(phase)) together.push(phase);
        const before = (done.get(phase)?.applied ?? []).filter((a) => a.commit.sha !== entry.sha);
        // a revert of the commit that took the phase back brings back what that commit took back
        const mineNow: Application[] = restores?.length ? restores.map((a) => ({ commit: entry, index, source: a.source ?? a.commit })) : [{ commit: entry, index }];
        const sources = [...new Set(mineNow.flatMap((a) => (a.source ? [a.source.sha.slice(0, 10)] : [])))];
        done.set(phase, { phase, commit: entry, index, together, applied: [...before, ...mineNow], ...(sources.length ? { reapplied: `re-applies ${sources.join(', ')}: ${entry.sha.slice(0, 10)} reverts the commit that took the phase back` } : {}) });
        undone.delete(phase);
      } else {
        effect.undid = done.get(phase)?.applied ?? [];
        done.delete(phase);
        undone.set(phase, entry.sha);
      }
    };
    // a revert of a commit that no longer decides a phase's state (superseded since) changes nothing
    const revert = (target: string) => {
      for (const e of effects.get(target) ?? []) if (current.get(e.phase) === target) set(e.phase, !e.applies, e.undid);
    };
    const resolve = (sha: string): string | undefined => {
      if (effects.has(sha)) return sha;
      const text = foreign.get(sha);
      if (text !== undefined) return byMessage.get(messageIdentity(text));
      const subject = REVERT_SUBJECT.exec(entry.subject);
      if (!subject) return undefined;
      return bySubject.get(subject[1] === 'Revert' ? subject[2]! : `Revert "${subject[2]}"`);
    };
    for (const mark of ledgerMarks(entry.message)) {
      if (mark.kind === 'phase') set(mark.phase, true);
      else if (mark.kind === 'reverts') {
        const target = resolve(mark.sha);
        if (target) revert(target);
      } else {
        const target = mark.reverts ? resolve(mark.reverts) : undefined;
        if (target) revert(target);
        else for (const phase of mark.phases) if (done.has(phase)) set(phase, false);
      }
    }
    if (!mine.length) return;
    effects.set(entry.sha, mine);
    byMessage.set(messageIdentity(entry.message), entry.sha);
    bySubject.set(entry.subject, entry.sha);
  });
  return { done, undone };
}

/** The ledger of HEAD's history (`log`: commitLog's, when the caller has it already). */
export async function phaseLedger(repo: string, log?: readonly LogEntry[]): Promise<PhaseLedger> {
  const entries = log ?? (await commitLog(repo));
  const inLog = new Set(entries.map((e) => e.sha));
  const named = new Set<string>();
  for (const e of entries) {
    for (const m of ledgerMarks(e.message)) {
      const sha = m.kind === 'reverts' ? m.sha : m.kind === 'rollback' ? m.reverts : undefined;
      if (sha && !inLog.has(sha)) named.add(sha);
    }
  }
  return ledgerOf(entries, named.size ? await commitMessages(repo, [...named]) : new Map());
}

export async function committedPhases(repo: string): Promise<Map<string, PhaseRecord>> {
  return (await phaseLedger(repo)).done;
}

/** The ledger with, per done phase, whether the tree still carries its change (runner/evidence.ts). */
export interface CheckedLedger extends PhaseLedger {
  evidence: Map<string, PhaseEvidence>;
  /** HEAD's commit when the history was read (its last entry); undefined in a repo without commits. */
  head: string | undefined;
  /** HEAD's tree then (the health cache's key: a baseline needs no git call for it). */
  headTree: string | undefined;
}

/**
 * Which phases are done, checked against the tree: what `status`, `run`'s gate and `review` say.
 * The trailers alone (phaseLedger) for what only needs the commits (rollback, remove-shim's record).
 */
export async function checkedLedger(repo: string, log?: readonly LogEntry[]): Promise<CheckedLedger> {
  const entries = log ?? (await commitLog(repo));
  const ledger = await phaseLedger(repo, entries);
  // a phase commit a fixup folded into another (its trailers dropped with its message): done there
  const recorded = new Set(entries.flatMap((e) => ledgerMarks(e.message).flatMap((m) => (m.kind === 'phase' ? [m.phase] : m.kind === 'rollback' ? m.phases : []))));
  const notes = await readReportNotes(repo); // once, for both: a git call per note costs more than reading them all
  for (const f of await foldedPhases(repo, entries, (phase) => !recorded.has(phase), notes)) {
    ledger.done.set(f.phase, { phase: f.phase, commit: f.into, index: f.index, together: [f.phase], applied: [{ commit: f.into, index: f.index }], folded: f.how, ...(f.from ? { foldedFrom: f.from } : {}) });
  }
  return { ...ledger, evidence: await phaseEvidence(repo, ledger.done, notes), head: entries.at(-1)?.sha, headTree: entries.at(-1)?.tree };
}

/** Done for what comes after it (a later phase's gate, `run`): committed, and its change not partly undone since. */
export function standsDone(ledger: CheckedLedger, phase: string): boolean {
  return ledger.done.has(phase) && ledger.evidence.get(phase)?.verdict !== 'partly-undone';
}

/**
 * Why `run` refuses a phase whose earlier phases (`before`, in run order) do not stand done, with
 * what to do about each: a pending one is run first; a partly undone one is re-applied by running
 * it again (its transform finds what is missing) — "not committed yet" alone sent people looking
 * for a commit that is there. Undefined when every one stands done.
 */
export function gateProblem(ledger: CheckedLedger, before: readonly string[]): string | undefined {
  const unmet = before.filter((p) => !standsDone(ledger, p));
  const pending = unmet.filter((p) => !ledger.done.has(p));
  const undone = unmet.filter((p) => ledger.done.has(p));
  const parts: string[] = [];
  if (pending.length) parts.push(`earlier phase(s) not committed yet: ${pending.join(', ')} — run them first (or \`run --all\`)`);
  for (const p of undone) parts.push(`earlier phase ${p} (partly undone) is committed, but ${evidenceText(ledger.evidence.get(p)).replace(/^partly undone: /, '')} — \`ssot-migrate run ${p}\` re-applies it (or \`run --all\`)`);
  return parts.length ? parts.join('; ') : undefined;
}

/** What a person reads about a done phase's evidence ("" when verified), e.g. "partly undone: 1 file(s) no longer carry its change (src/a.ts)". */
export function evidenceText(e: PhaseEvidence | undefined): string {
  if (!e) return '';
  const list = (files: readonly string[]) => `${files.slice(0, 5).join(', ')}${files.length > 5 ? `, … ${files.length - 5} more` : ''}`;
  const parts: string[] = [];
  if (e.undone.length) parts.push(`partly undone: ${e.undone.length} file(s) no longer carry its change (${list(e.undone)})`);
  if (e.changed.length) parts.push(`${e.changed.length} file(s) changed since, its change still in them (${list(e.changed)})`);
  if (e.unverifiable) parts.push(`not verifiable: ${e.unverifiable}`);
  return parts.join('; ');
}
