/**
 * Phase commits folded into another commit by a fixup (`rebase -i` fixup, `commit --fixup` +
 * `--autosquash`, `reset --soft` + `commit --amend`): git keeps the target's message only, so the
 * phase's trailers are gone while its change is in the tree — the ledger, which reads messages,
 * called it pending and `run` recorded it again. Found by the phase's report note instead:
 *
 * - with `notes.rewriteRef` set, git joined the folded commit's note onto the target's: a commit in
 *   history whose own note holds a report of a phase its message does not name folded that phase;
 * - without it, the note stays on the phase commit, which no branch holds any more: it was folded
 *   into the history commit with its parent's message (the rewritten target) when that commit's
 *   tree holds every file of the phase commit exactly as the phase commit does.
 *
 * - without it, and the phase commit pruned since (gc): its note still maps the pruned hash to the
 *   report, whose output blobs say what the phase wrote; the first history commit whose tree holds
 *   every one of them (and changes one of those files) is where the phase's change came in.
 *
 * Only phases no commit in history records (applied or rolled back) are looked for.
 */
import { ABSENT_BLOB, commitFiles, git, ledgerMarks, messageIdentity, readCommit, readReportNotes, reportOf, type FileOutput, type LogEntry } from '../git/index.js';

export interface FoldedPhase {
  phase: string;
  /** The history commit holding the phase's change. */
  into: LogEntry;
  index: number;
  /** The phase commit it was folded from, when its note stayed there (no notes.rewriteRef). */
  from?: string;
  /** How the fold was found, said for `status`. */
  how: string;
}

const REPORT_HEAD = /^ssot-migrate report v1: (.+)$/gm;

/** The phases `wanted` accepts that were folded into a commit of `log` (oldest first). */
export async function foldedPhases(repo: string, log: readonly LogEntry[], wanted: (phase: string) => boolean, notes?: ReadonlyMap<string, string>): Promise<FoldedPhase[]> {
  const all = notes ?? (await readReportNotes(repo));
  const index = new Map(log.map((e, i) => [e.sha, i]));
  const byMessage = new Map(log.map((e, i) => [messageIdentity(e.message), i]));
  const found = new Map<string, FoldedPhase>();
  for (const [sha, note] of all) {
    const at = index.get(sha);
    if (at !== undefined) {
      const entry = log[at]!;
      const named = new Set(ledgerMarks(entry.message).flatMap((m) => (m.kind === 'phase' ? [m.phase] : [])));
      for (const m of note.matchAll(REPORT_HEAD)) {
        const phase = m[1]!;
        if (wanted(phase) && !named.has(phase)) found.set(phase, { phase, into: entry, index: at, how: `its commit was folded into ${entry.sha.slice(0, 10)} (its message dropped); found by its report note there` });
      }
      continue;
    }
    // a phase commit no branch holds: only one of a wanted phase is worth reading
    if (![...note.matchAll(REPORT_HEAD)].some((m) => wanted(m[1]!))) continue;
    let commit: LogEntry;
    try {
      commit = await readCommit(repo, sha);
    } catch {
      // pruned by gc: what its note recorded it wrote is all there is to go by
      for (const m of note.matchAll(REPORT_HEAD)) {
        const phase = m[1]!;
        const outputs = wanted(phase) && !found.has(phase) ? reportOf(note, phase)?.outputs : undefined;
        const at = outputs?.length ? await firstHolding(repo, index, outputs) : undefined;
        if (at !== undefined) found.set(phase, { phase, into: log[at]!, index: at, from: sha, how: `its commit ${sha.slice(0, 10)} was rewritten (a fixup drops its message) and pruned since; ${log[at]!.sha.slice(0, 10)} is the first commit holding every file as its report note records the phase wrote it` });
      }
      continue;
    }
    const phase = ledgerMarks(commit.message).find((m) => m.kind === 'phase' && wanted(m.phase));
    if (phase?.kind !== 'phase' || found.has(phase.phase)) continue;
    const parent = (await git(repo, ['show', '-s', '--format=%P', sha])).trim().split(' ')[0];
    if (!parent) continue;
    const into = byMessage.get(messageIdentity((await readCommit(repo, parent)).message));
    if (into === undefined) continue;
    const files = await commitFiles(repo, sha);
    if (!files.length) continue; // an empty phase commit's change is in every tree: nothing tells it was folded
    const same = (await git(repo, ['diff', '--name-only', sha, log[into]!.sha, '--', ...files.map((f) => `:(literal)${f}`)])).trim() === '';
    if (same) found.set(phase.phase, { phase: phase.phase, into: log[into]!, index: into, from: sha, how: `its commit ${sha.slice(0, 10)} was folded into ${log[into]!.sha.slice(0, 10)} by a fixup (its message dropped); found by its report note, left on ${sha.slice(0, 10)}` });
  }
  return [...found.values()];
}

/** The position in history of the oldest commit that changes one of `outputs`' files and holds each as its `after` blob (absent: no such file). */
async function firstHolding(repo: string, index: ReadonlyMap<string, number>, outputs: readonly FileOutput[]): Promise<number | undefined> {
  const paths = outputs.map((o) => `:(literal)${o.path}`);
  const touching = (await git(repo, ['log', '--reverse', '--full-history', '--format=%H', 'HEAD', '--', ...paths])).split('\n').filter(Boolean);
  for (const sha of touching) {
    const at = index.get(sha);
    if (at === undefined) continue;
    const held = new Map<string, string>();
    for (const rec of (await git(repo, ['ls-tree', '-r', '-z', '--full-tree', sha, '--', ...paths])).split('\0')) {
      const tab = rec.indexOf('\t');
      if (tab >= 0) held.set(rec.slice(tab + 1), rec.slice(0, tab).split(' ')[2]!);
    }
    if (outputs.every((o) => (ABSENT_BLOB.test(o.after) ? !held.has(o.path) : held.get(o.path) === o.after))) return at;
  }
  return undefined;
}
