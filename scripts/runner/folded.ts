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
 * - its note gone too (a clone that did not fetch the notes, the notes deleted): the phase commit,
 *   with its trailers, read from where it still is — a reflog, a branch, a tag, a remote-tracking
 *   branch (the one a clone was made from) — and told folded as without notes.rewriteRef above.
 *   Before, such a phase read pending and `run` recorded it again as an empty commit.
 *
 * Only phases no commit in history records (applied or rolled back) are looked for.
 */
import { ABSENT_BLOB, commitFiles, git, ledgerMarks, LOG_FORMAT, messageIdentity, parseLog, readCommit, readReportNotes, reportOf, TRAILER, type FileOutput, type LogEntry } from '../git/index.js';

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
  // no history (not a repository, or no commit yet): nothing a phase could have been folded into, and
  // the reflog read below would fail on the unborn HEAD
  if (!log.length) return [];
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
    const into = await foldedInto(repo, commit, wanted, found, byMessage, log);
    if (into) found.set(into.phase, { phase: into.phase, into: log[into.at]!, index: into.at, from: sha, how: `its commit ${sha.slice(0, 10)} was folded into ${log[into.at]!.sha.slice(0, 10)} by a fixup (its message dropped); found by its report note, left on ${sha.slice(0, 10)}` });
  }
  // Its note gone too (a clone that did not fetch the notes, the notes deleted): the phase commit
  // itself, with its trailers, is often still in the repository — in the reflog, or on the branch a
  // clone was made from (origin/…). Read the phase commits HEAD does not reach, but a ref or a
  // reflog does; the one a fold took in is told as above (its parent's message, its files).
  for (const commit of await unreachedPhaseCommits(repo, (p) => wanted(p) && !found.has(p))) {
    if (all.has(commit.sha)) continue; // its note was read above
    const into = await foldedInto(repo, commit, wanted, found, byMessage, log);
    if (!into) continue;
    const refs = (await git(repo, ['for-each-ref', `--contains=${commit.sha}`, '--format=%(refname:short)', 'refs/heads', 'refs/remotes', 'refs/tags'])).split('\n').filter(Boolean);
    const where = refs.length ? `found on ${refs.slice(0, 3).join(', ')}${refs.length > 3 ? `, … ${refs.length - 3} more` : ''}` : 'found in the reflog';
    found.set(into.phase, { phase: into.phase, into: log[into.at]!, index: into.at, from: commit.sha, how: `its commit ${commit.sha.slice(0, 10)} was folded into ${log[into.at]!.sha.slice(0, 10)} by a fixup (its message dropped) and its report note is lost; ${where}` });
  }
  return [...found.values()];
}

/**
 * Where a phase commit HEAD does not reach was folded: the history commit with its parent's
 * message (the rewritten target) whose tree holds every file of the phase commit exactly as the
 * phase commit does — the phase (one `wanted` accepts, not found yet) and that commit's position.
 * A commit undone by `reset --hard` or one on another branch fails the test: its parent's tree
 * (or its rewrite) does not hold the phase's files.
 */
async function foldedInto(repo: string, commit: LogEntry, wanted: (phase: string) => boolean, found: ReadonlyMap<string, FoldedPhase>, byMessage: ReadonlyMap<string, number>, log: readonly LogEntry[]): Promise<{ phase: string; at: number } | undefined> {
  const sha = commit.sha;
  const phase = ledgerMarks(commit.message).find((m) => m.kind === 'phase' && wanted(m.phase));
  if (phase?.kind !== 'phase' || found.has(phase.phase)) return undefined;
  const parent = (await git(repo, ['show', '-s', '--format=%P', sha])).trim().split(' ')[0];
  if (!parent) return undefined;
  const into = byMessage.get(messageIdentity((await readCommit(repo, parent)).message));
  if (into === undefined) return undefined;
  const files = await commitFiles(repo, sha);
  if (!files.length) return undefined; // an empty phase commit's change is in every tree: nothing tells it was folded
  const same = (await git(repo, ['diff', '--name-only', sha, log[into]!.sha, '--', ...files.map((f) => `:(literal)${f}`)])).trim() === '';
  return same ? { phase: phase.phase, at: into } : undefined;
}

/**
 * The commits with a phase trailer block that a branch, tag, remote-tracking branch or reflog
 * holds and HEAD does not reach, newest first, of a phase `wanted` accepts — one `git log`.
 */
async function unreachedPhaseCommits(repo: string, wanted: (phase: string) => boolean): Promise<LogEntry[]> {
  const out = await git(repo, ['log', LOG_FORMAT, `--grep=^${TRAILER.phase}: `, '--reflog', '--branches', '--tags', '--remotes', '--not', 'HEAD', '--']);
  return parseLog(out)
    .filter((c) => ledgerMarks(c.message).some((m) => m.kind === 'phase' && wanted(m.phase)));
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
