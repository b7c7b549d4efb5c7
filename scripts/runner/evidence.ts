/**
 * Whether the tree still carries each done phase's change — the ledger says which commits applied
 * a phase (their trailers); this checks what they wrote. A phase commit's report note records, per
 * file, the blob before and after it (message.ts, "Output blobs"). Cheap at 20,000 files: one
 * `ls-tree` of HEAD and the notes, compared in memory; only a file whose blob differs is read (one
 * `cat-file --batch` for all of them) and its phase diff checked against it.
 *
 * A file is the phase's until a later phase writes it: then the later phase's input (its report's
 * "before" blob) is what the earlier phase's output is compared with, and HEAD is the later
 * phase's to answer for — later phases legitimately change the same files. A file whose blob
 * differs is "undone" when a hunk of the phase's change is no longer in it (its added lines gone
 * and, where it removed lines, those back), else "changed" (other edits since; the change is
 * still there, or the phase's own lines were edited over).
 *
 * A note written before output blobs were recorded (or none, in a clone that did not fetch the
 * notes) leaves the commit itself: its diff is the phase's outputs where the commit is the phase's
 * alone (outputsOfCommit), so older ledgers verify too.
 */
import { structuredPatch } from 'diff';
import { ABSENT_BLOB, commitOutputs, ledgerMarks, phaseCommitReport, readBlobs, readCommit, readReportNote, reportOf, TRAILER, treeBlobs, type FileOutput, type LogEntry, type PhaseReport } from '../git/index.js';
import type { PhaseRecord } from './ledger.js';

export interface PhaseEvidence {
  /**
   * verified: every file the phase wrote still holds what it wrote (or what a later phase made of
   * it); changed: files changed since, the phase's change still in them; partly-undone: the
   * phase's change is missing from some of its files; not-verifiable: a commit of the phase has
   * no recorded output (a note written before they were recorded, or no note found) and its own
   * diff cannot stand in (it holds other phases' or other changes too).
   */
  verdict: 'verified' | 'changed' | 'partly-undone' | 'not-verifiable';
  /** Files the phase wrote whose change is (partly) missing, sorted. */
  undone: string[];
  /** Files changed since the phase wrote them that still carry its change (or whose changed lines were edited over), sorted. */
  changed: string[];
  /** Why some of it could not be checked. */
  unverifiable?: string;
}

interface Write {
  phase: string;
  commit: LogEntry;
  /** What the commit wrote to the file; absent when its report records no outputs. */
  out?: FileOutput;
}

const absent = (blob: string | undefined) => blob === undefined || ABSENT_BLOB.test(blob);

/** The evidence for each done phase (`done`: the ledger's), against HEAD's tree; `notes`: every report note, read already (readReportNotes). */
export async function phaseEvidence(repo: string, done: ReadonlyMap<string, PhaseRecord>, notes?: ReadonlyMap<string, string>): Promise<Map<string, PhaseEvidence>> {
  const evidence = new Map<string, PhaseEvidence>();
  if (!done.size) return evidence;
  // every commit that applied a done phase, in history order (phases squashed into one commit: in its message's order)
  const applications = [...done.values()]
    .flatMap((rec) => rec.applied.map((a) => ({ phase: rec.phase, commit: a.commit, reapplies: a.source, foldedFrom: rec.foldedFrom, order: a.index * 1000 + Math.max(0, rec.together.indexOf(rec.phase)) })))
    .sort((a, b) => a.order - b.order);
  const byFile = new Map<string, Write[]>();
  const why = new Map<string, string>();
  for (const { phase, commit, reapplies, foldedFrom } of applications) {
    // folded by a fixup without notes.rewriteRef: the report is on the phase commit it was folded from
    // (pruned by gc since: its note is all there is); a revert of a revert: the phase commit whose
    // change it brings back answers (its note, or its own diff) — the write stands at `commit`
    const source = foldedFrom ? await readCommit(repo, foldedFrom).catch(() => undefined) : reapplies ?? commit;
    const report = source ? await phaseCommitReport(repo, source, phase, notes) : await prunedReport(repo, foldedFrom!, phase, notes);
    const recorded = report.from === 'note' ? report.outputs : undefined;
    const derived = recorded || !source ? undefined : await outputsOfCommit(repo, source, phase, report, notes);
    if (derived && 'unclear' in derived) why.set(phase, derived.unclear);
    const outputs = recorded ?? (derived && 'outputs' in derived ? derived.outputs : undefined);
    const wrote = (path: string, write: Write) => (byFile.get(path) ?? byFile.set(path, []).get(path)!).push(write);
    if (outputs) for (const out of outputs) wrote(out.path, { phase, commit, out });
    // without outputs, the files it lists still mark where a later phase took a file over
    else for (const path of report.files) wrote(path, { phase, commit });
  }
  const head = await treeBlobs(repo, 'HEAD');
  const mismatched: { phase: string; out: FileOutput; observed: string }[] = [];
  for (const [path, writes] of byFile) {
    writes.forEach((w, i) => {
      if (!w.out || writes.slice(i + 1).some((x) => x.phase === w.phase)) return; // the phase's last write to it answers
      const next = writes[i + 1];
      if (next && !next.out) return; // taken over by a write whose input is not recorded
      const observed = next ? next.out!.before : head.get(path) ?? '0';
      if (observed === w.out.after || (absent(observed) && absent(w.out.after))) return;
      mismatched.push({ phase: w.phase, out: w.out, observed });
    });
  }
  const texts = await readBlobs(repo, mismatched.flatMap((m) => [m.out.before, m.out.after, m.observed]).filter((b) => !absent(b)));
  const undone = new Map<string, Set<string>>();
  const changed = new Map<string, Set<string>>();
  const add = (into: Map<string, Set<string>>, phase: string, path: string) => (into.get(phase) ?? into.set(phase, new Set()).get(phase)!).add(path);
  for (const m of mismatched) add(carriesChange(m.out, m.observed, texts) ? changed : undone, m.phase, m.out.path);
  for (const phase of done.keys()) {
    const u = [...(undone.get(phase) ?? [])].sort();
    const c = [...(changed.get(phase) ?? [])].filter((p) => !u.includes(p)).sort();
    const unverifiable = why.get(phase);
    const verdict = u.length ? 'partly-undone' : unverifiable ? 'not-verifiable' : c.length ? 'changed' : 'verified';
    evidence.set(phase, { verdict, undone: u, changed: c, ...(unverifiable ? { unverifiable } : {}) });
  }
  return evidence;
}

/** The report of `phase` in the note left on a commit gc pruned. */
async function prunedReport(repo: string, sha: string, phase: string, notes?: ReadonlyMap<string, string>): Promise<PhaseReport & { from: 'note' | 'message' }> {
  const text = notes ? notes.get(sha) : await readReportNote(repo, sha);
  const report = text === undefined ? undefined : reportOf(text, phase);
  return report ? { ...report, from: 'note' } : { phase, needsReview: [], leftUntouched: [], files: [], warnings: [], from: 'message' };
}

/**
 * A phase commit's outputs read from the commit itself when its report records none (a note
 * written before output blobs were recorded, or no note: a clone that did not fetch them): its
 * diff against its parent is the phase's change when the commit applies that phase alone and
 * changes exactly the files the phase wrote — those its note lists (its own note: a listed file
 * the commit leaves as it was is a write that changed nothing; a note of the commit it was
 * rewritten from: the same files, or a rebase lost some), or as many as its SSOT-Files trailer
 * counts. Otherwise why it cannot tell.
 */
async function outputsOfCommit(repo: string, commit: LogEntry, phase: string, report: PhaseReport & { from: 'note' | 'message' }, notes?: ReadonlyMap<string, string>): Promise<{ outputs: FileOutput[] } | { unclear: string }> {
  const at = commit.sha.slice(0, 10);
  const older = report.from === 'note' ? `the report note of ${at} records no output blobs (written by an older ssot-migrate)` : `no report note found for ${at}`;
  const blocks = ledgerMarks(commit.message).filter((m) => m.kind === 'phase');
  if (blocks.length !== 1 || blocks[0]!.kind !== 'phase' || blocks[0]!.phase !== phase) return { unclear: `${older}, and the commit applies ${blocks.length ? `${blocks.length} phases` : 'no phase by its own trailers'}, so its diff is not ${phase}'s alone` };
  const outputs = await commitOutputs(repo, commit.sha);
  const changed = outputs.map((o) => o.path);
  if (report.from === 'note') {
    const listed = new Set(report.files);
    const own = notes ? notes.has(commit.sha) : (await readReportNote(repo, commit.sha)) !== undefined;
    const extra = changed.filter((p) => !listed.has(p));
    const lost = own ? [] : report.files.filter((p) => !changed.includes(p));
    if (extra.length || lost.length) return { unclear: `${older}, and the commit ${extra.length ? `changes ${extra.length} file(s) its report does not list (${extra.slice(0, 3).join(', ')})` : `leaves ${lost.length} file(s) its report lists as they were (${lost.slice(0, 3).join(', ')})`}` };
    return { outputs };
  }
  const declared = Number(blocks[0]!.trailers[TRAILER.files]);
  if (!Number.isInteger(declared) || declared !== changed.length) return { unclear: `${older}, and the commit changes ${changed.length} file(s) where its ${TRAILER.files} says ${blocks[0]!.trailers[TRAILER.files] ?? 'nothing'}` };
  return { outputs };
}

/**
 * Whether the file at blob `observed` still carries the change `out` made: false when it is back
 * as it was before the phase, when a file the phase deleted is back, or when a hunk of the phase's
 * diff is missing: a line it added is gone and one it removed is back (or it removed none), or,
 * where it only removed lines, one is back. An added line gone with no removed one back is an
 * edit over the phase's own lines: changed, not undone. A file
 * deleted since, or whose blobs the object store no longer has, counts as changed, not undone.
 *
 * "Gone" and "back" are read from the diff of the phase's output to the file now, by position:
 * a line the phase added is gone when that diff deletes it at the line the phase wrote it, and a
 * line it removed is back when that diff inserts it where the phase's hunk is. Looking the lines
 * up anywhere in the file read a phase line taken back as still there when a copy of it stands
 * elsewhere (changed instead of undone), and an old line written anew elsewhere as the phase's
 * own line back (undone instead of changed).
 */
function carriesChange(out: FileOutput, observed: string, texts: ReadonlyMap<string, string>): boolean {
  if (absent(observed)) return true;
  if (absent(out.after) || observed === out.before) return false;
  const before = absent(out.before) ? '' : texts.get(out.before);
  const after = texts.get(out.after);
  const now = texts.get(observed);
  if (before === undefined || after === undefined || now === undefined) return true;
  // the edits since the phase, as ranges of the phase's output: [start, end) in its lines, 1-based (empty: an insertion before `start`)
  const since = structuredPatch('a', 'b', after, now, '', '', { context: 0 }).hunks.map((s) => ({ start: s.oldStart, end: s.oldStart + s.oldLines, inserted: meaningful(s.lines, '+') }));
  const deleted = (line: number) => since.some((s) => s.start <= line && line < s.end);
  for (const hunk of structuredPatch('a', 'b', before, after, '', '', { context: 0 }).hunks) {
    const start = hunk.newStart;
    const end = hunk.newStart + hunk.newLines;
    const removed = meaningful(hunk.lines, '-');
    let at = start;
    let added = 0;
    let addedGone = false;
    for (const l of hunk.lines) {
      if (l[0] !== '+') continue;
      if (/\w/.test(l)) {
        added++;
        if (deleted(at)) addedGone = true;
      }
      at++;
    }
    // edits touching the hunk (overlapping or next to it) that write one of the lines it removed
    const removedBack = removed.length > 0 && since.some((s) => s.start <= end && start <= s.end && s.inserted.some((l) => removed.includes(l)));
    if (added ? !addedGone : !removedBack) continue;
    // added lines gone: undone where removed ones are back (or it removed none), edited over otherwise
    if (!removed.length || removedBack) return false;
  }
  return true;
}

/** A hunk's lines of one sign, without it and a CR, that have a word in them: a brace or a blank line is everywhere and tells nothing. */
function meaningful(lines: readonly string[], sign: '+' | '-'): string[] {
  return lines.filter((l) => l[0] === sign).map((l) => l.slice(1).replace(/\r$/, '')).filter((l) => /\w/.test(l));
}
