/**
 * The phase commit message and its full report, written and read in one place.
 *
 * The message: the subject `ssot(<phase>): <summary>`, the first MESSAGE_ITEMS entries of the
 * "Needs review (n):" and "Left untouched (n):" lists (`(n, first k)` when cut), the "Verified:"
 * line, a pointer to the full report and the SSOT-* trailers (git trailer syntax, last
 * paragraph). Its size does not grow with the repository: a phase that touches 20,000 files
 * writes the same few KB as one that touches 20.
 *
 * The report: every needs-review and left-untouched item and every file the phase wrote, in the
 * same list syntax, kept as a git note on the phase commit under REPORT_NOTES_REF (the
 * SSOT-Report trailer names the ref). A note rather than a file under .git/: it belongs to the
 * commit object, so `git push/fetch <remote> refs/notes/ssot-migrate` carries it to every clone
 * and no cache can go stale; `git notes --ref=ssot-migrate show <commit>` reads it without us.
 * `review` reads it (falling back to the message, with a warning, for commits without one or a
 * clone that did not fetch the notes); the ledger reads the trailers, and `status` checks the
 * tree against the note's output blobs (runner/evidence.ts).
 */
import { REMOVE_SHIM_TRAILERS, type PhasePlan, type ReviewItem } from '../../codemods/index.js';

export const TRAILER = {
  phase: 'SSOT-Phase',
  files: 'SSOT-Files',
  edits: 'SSOT-Edits',
  compliance: 'SSOT-Compliance',
  needsReview: 'SSOT-Needs-Review',
  rollback: 'SSOT-Rollback',
  reverts: 'SSOT-Reverts',
  /** The notes ref holding the phase commit's full report. */
  report: 'SSOT-Report',
} as const;

/** Where the full per-file report of a phase commit is kept: a git note under this ref. */
export const REPORT_NOTES_REF = 'refs/notes/ssot-migrate';
/** Items of each list the message shows; the rest are in the report. */
export const MESSAGE_ITEMS = 50;
/** One item line in the message is cut at this many characters (the report keeps it whole). */
const MESSAGE_ITEM_CHARS = 240;
const REPORT_HEADER = 'ssot-migrate report';
const FILES = 'Files';
/**
 * The report's record of what the phase commit put in the tree, per file: the blob before and
 * after it (git's ids; all zeros where the file was absent). `status` compares them with the tree
 * to tell a phase whose change is still there from one a conflicted rebase or a hand edit partly
 * took back (runner/evidence.ts). Its own section after Files, so readers of older versions
 * (which stop at the end of the Files list) still read the report.
 */
const OUTPUT = 'Output blobs';
export const ABSENT_BLOB = /^0+$/;

const NEEDS_REVIEW = 'Needs review';
const LEFT_UNTOUCHED = 'Left untouched';
const VERIFIED = 'Verified:';

export interface PhaseFigures {
  files?: number;
  edits?: number;
  compliance?: { before: number; after: number };
  needsReview?: number;
  verified?: string;
  /**
   * The telemetry evidence a gated deletion (remove-shim) opened on, from its trailers: what was
   * judged, each id's verdict with its coverage, or the reason a person gave for having none.
   */
  telemetry?: { evidence?: string; verdicts?: string[]; withoutTelemetry?: string };
  /** Set on rollback commits: the phase they undo. */
  rollbackOf?: string;
  reverts?: string;
}

export interface CommitMessage {
  subject: string;
  /** The whole message. */
  message: string;
  trailers: Record<string, string>;
  /** The phase a phase commit records (SSOT-Phase). */
  phase?: string;
  needsReview: ReviewItem[];
  leftUntouched: ReviewItem[];
  figures: PhaseFigures;
  /** Disagreements between the lists and the trailers (a hand-edited message, a truncated list). */
  warnings: string[];
  /** False when the message shows only the first items of a list (the report has them all). */
  complete: boolean;
}

/** One line per item, whatever the message holds (newlines and runs of space become one space). */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const itemLine = (r: ReviewItem) => `- ${r.file}:${r.line} ${oneLine(r.message)}`;
const shortItemLine = (r: ReviewItem) => {
  const l = itemLine(r);
  return l.length > MESSAGE_ITEM_CHARS ? `${l.slice(0, MESSAGE_ITEM_CHARS - 1)}…` : l;
};

/** A list's first `limit` items under `Heading (n):`, or `Heading (n, first k):` and a "more" line when cut. */
function boundedList(heading: string, items: readonly ReviewItem[], limit: number): string[] {
  if (!items.length) return [];
  if (items.length <= limit) return [`${heading} (${items.length}):`, ...items.map(shortItemLine), ''];
  return [`${heading} (${items.length}, first ${limit}):`, ...items.slice(0, limit).map(shortItemLine), `… ${items.length - limit} more in the full report`, ''];
}

type MessagePlan = Pick<PhasePlan, 'phase' | 'summary' | 'edits' | 'needsReview' | 'problems' | 'trailers'>;

export interface MessageOptions {
  /** Items of each list the message shows (default MESSAGE_ITEMS). */
  limit?: number;
  /** The commit gets a full report note (phaseReport): the message points to it and says so in SSOT-Report. */
  report?: boolean;
}

/** The message of a verified phase commit: bounded whatever the plan's size (see the module doc). */
export function phaseCommitMessage(plan: MessagePlan, figures: { files: number; before: number; after: number }, verified: string, opts: MessageOptions = {}): string {
  const limit = opts.limit ?? MESSAGE_ITEMS;
  const body: string[] = [...boundedList(NEEDS_REVIEW, plan.needsReview, limit), ...boundedList(LEFT_UNTOUCHED, plan.problems, limit)];
  body.push(`${VERIFIED} ${oneLine(verified)}`);
  if (opts.report) body.push(`Full report (every item and file): ssot-migrate review ${plan.phase}, or git notes --ref=${REPORT_NOTES_REF.replace('refs/notes/', '')} show <this commit>`);
  const trailers = [
    `${TRAILER.phase}: ${plan.phase}`,
    `${TRAILER.files}: ${figures.files}`,
    `${TRAILER.edits}: ${plan.edits}`,
    `${TRAILER.compliance}: ${figures.before.toFixed(1)}->${figures.after.toFixed(1)}`,
    `${TRAILER.needsReview}: ${plan.needsReview.length}`,
    // the phase's own (e.g. remove-shim's telemetry evidence); one line each, never overriding ours
    ...Object.entries(plan.trailers ?? {})
      .filter(([k]) => /^[A-Za-z][A-Za-z0-9-]*$/.test(k) && !(Object.values(TRAILER) as string[]).includes(k))
      .map(([k, v]) => `${k}: ${oneLine(v)}`),
    ...(opts.report ? [`${TRAILER.report}: ${REPORT_NOTES_REF}`] : []),
  ];
  return `ssot(${plan.phase}): ${oneLine(plan.summary)}\n\n${body.join('\n')}\n\n${trailers.join('\n')}\n`;
}

/** The full report of a phase commit (its git note): every item of both lists and every file written. */
export function phaseReport(plan: Pick<PhasePlan, 'phase' | 'summary' | 'needsReview' | 'problems'>, files: readonly string[]): string {
  const lines = [`${REPORT_HEADER} v1: ${plan.phase}`, oneLine(plan.summary), ''];
  lines.push(`${NEEDS_REVIEW} (${plan.needsReview.length}):`, ...plan.needsReview.map(itemLine), '');
  lines.push(`${LEFT_UNTOUCHED} (${plan.problems.length}):`, ...plan.problems.map(itemLine), '');
  lines.push(`${FILES} (${files.length}):`, ...files.map((f) => `- ${oneLine(f)}`));
  return `${lines.join('\n')}\n`;
}

/** What a phase commit changed in one file: git's blob ids before and after it (all zeros: absent). */
export interface FileOutput {
  path: string;
  before: string;
  after: string;
}

/** The Output section appended to a report (phaseReport's text) once the commit is made. */
export function reportOutputs(outputs: readonly FileOutput[]): string {
  return `\n${OUTPUT} (${outputs.length}):\n${outputs.map((o) => `- ${o.before} ${o.after} ${oneLine(o.path)}\n`).join('')}`;
}

export interface PhaseReport {
  phase: string;
  needsReview: ReviewItem[];
  leftUntouched: ReviewItem[];
  files: string[];
  /** Per file, the blobs before and after the commit; absent in reports written before they were recorded. */
  outputs?: FileOutput[];
  warnings: string[];
}

/** Reads a report written by phaseReport; undefined when the text is not one. */
export function parsePhaseReport(text: string): PhaseReport | undefined {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const head = new RegExp(`^${REPORT_HEADER} v1: (.+)$`).exec(lines[0] ?? '');
  if (!head) return undefined;
  const warnings: string[] = [];
  const review = list(lines, NEEDS_REVIEW);
  const untouched = list(lines, LEFT_UNTOUCHED);
  const files = listLines(lines, FILES).entries;
  for (const [name, l] of [[NEEDS_REVIEW, review], [LEFT_UNTOUCHED, untouched]] as const) {
    if (l.declared !== undefined && l.declared !== l.items.length) warnings.push(`the report's "${name} (${l.declared})" lists ${l.items.length} item(s)`);
  }
  const output = listLines(lines, OUTPUT);
  const outputs = output.declared === undefined ? undefined : output.entries.flatMap((e) => {
    const m = /^([0-9a-f]{40,64}) ([0-9a-f]{40,64}) (.+)$/.exec(e);
    return m ? [{ before: m[1]!, after: m[2]!, path: m[3]! }] : [];
  });
  if (outputs && outputs.length !== output.declared) warnings.push(`the report's "${OUTPUT} (${output.declared})" lists ${outputs.length} file(s)`);
  return { phase: head[1]!, needsReview: review.items, leftUntouched: untouched.items, files, ...(outputs ? { outputs } : {}), warnings };
}

/** The message of a verified revert of a phase commit; `phase` lists every phase the commit applied (a squash: more than one). */
export function rollbackCommitMessage(phase: string | readonly string[], sha: string, verified: string): string {
  if (typeof phase !== 'string') phase = phase.join(', ');
  return `ssot(rollback): revert ${phase} (${sha.slice(0, 10)})\n\nThis reverts commit ${sha}.\n${VERIFIED} ${verified}\n\n${TRAILER.rollback}: ${phase}\n${TRAILER.reverts}: ${sha}\n`;
}

const TRAILER_LINE = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/;

const CHERRY_PICKED_LINE = /^\(cherry picked from commit [0-9a-f]{7,64}\)$/;

/** Trailers of a message: its last paragraph, when every line of it is `Key: value`. */
export function parseTrailers(message: string): Record<string, string> {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  return paragraphs.length > 1 ? trailerBlock(paragraphs.at(-1)!) ?? {} : {};
}

/** A paragraph's `Key: value` lines, when every line of it is one (git's "(cherry picked from …)" skipped); else undefined. */
function trailerBlock(paragraph: string): Record<string, string> | undefined {
  // `git cherry-pick -x` appends its "(cherry picked from commit <sha>)" line to the trailer block
  // (git counts it as one of its own trailers): without skipping it, a phase commit picked with -x
  // lost all its trailers and its phase showed pending on a branch whose tree has its change.
  const lines = paragraph.split('\n').filter((l) => l.trim() !== '' && !CHERRY_PICKED_LINE.test(l.trim()));
  if (!lines.length || !lines.every((l) => TRAILER_LINE.test(l.trim()))) return undefined;
  const out: Record<string, string> = {};
  for (const l of lines) {
    const m = TRAILER_LINE.exec(l.trim())!;
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** git's own line in a revert's message (`git revert`, also for "Reapply"); the sha may be SHA-1 or SHA-256. */
const REVERTS_LINE = /^This reverts commit ([0-9a-f]{40}(?:[0-9a-f]{24})?)\b/gm;

/** What one part of a commit message records about phases, in the order the message says it. */
export type LedgerMark =
  | { kind: 'phase'; phase: string; trailers: Record<string, string> }
  | { kind: 'rollback'; phases: string[]; reverts?: string }
  | { kind: 'reverts'; sha: string };

/**
 * Every phase record in a message, in order: an `SSOT-Phase` or `SSOT-Rollback` trailer block and
 * git's "This reverts commit <sha>." lines — wherever they stand, not only in the last paragraph:
 * `rebase -i` squash joins the squashed commits' messages, each with its own trailer block, and a
 * phase commit squashed with an app commit has the app's message after its trailers. A block
 * counts when its paragraph is trailers only and names the phase with the figures every phase
 * commit carries (SSOT-Files), or is a rollback's; a stray "SSOT-Phase:" line in prose does not.
 */
export function ledgerMarks(message: string): LedgerMark[] {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const marks: LedgerMark[] = [];
  paragraphs.forEach((p, i) => {
    const block = i > 0 ? trailerBlock(p) : undefined;
    if (block?.[TRAILER.rollback]) {
      const reverts = block[TRAILER.reverts];
      marks.push({ kind: 'rollback', phases: block[TRAILER.rollback]!.split(/,\s*/).filter(Boolean), ...(reverts ? { reverts } : {}) });
      return;
    }
    if (block?.[TRAILER.phase] && block[TRAILER.files] !== undefined) {
      marks.push({ kind: 'phase', phase: block[TRAILER.phase]!, trailers: block });
      return;
    }
    for (const m of p.matchAll(REVERTS_LINE)) marks.push({ kind: 'reverts', sha: m[1]! });
  });
  return marks;
}

function parseItem(text: string): ReviewItem {
  const m = /^(.+?):(\d+)\s+(.*)$/.exec(text);
  return m ? { file: m[1]!, line: Number(m[2]), message: m[3]! } : { file: text, line: 0, message: '' };
}

/** The `- ` entries under `Heading (n):` or `Heading (n, first k):`; `shown` is k when the list was cut. */
function listLines(lines: string[], heading: string): { entries: string[]; declared: number | undefined; shown: number | undefined } {
  const start = lines.findIndex((l) => l.startsWith(`${heading} (`));
  if (start < 0) return { entries: [], declared: undefined, shown: undefined };
  const m = /\((\d+)(?:, first (\d+))?\)/.exec(lines[start]!);
  const declared = Number(m?.[1]);
  const entries: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith('- ')) break;
    entries.push(l.slice(2));
  }
  return { entries, declared: Number.isFinite(declared) ? declared : undefined, shown: m?.[2] !== undefined ? Number(m[2]) : undefined };
}

/** A list of review items (see listLines). */
function list(lines: string[], heading: string): { items: ReviewItem[]; declared: number | undefined; shown: number | undefined } {
  const { entries, ...counts } = listLines(lines, heading);
  return { items: entries.map(parseItem), ...counts };
}

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function parseCommitMessage(text: string): CommitMessage {
  const message = text.trimEnd();
  const lines = message.split('\n');
  const trailers = parseTrailers(message);
  const warnings: string[] = [];
  const review = list(lines, NEEDS_REVIEW);
  const untouched = list(lines, LEFT_UNTOUCHED);
  for (const [name, l] of [[NEEDS_REVIEW, review], [LEFT_UNTOUCHED, untouched]] as const) {
    const expected = l.shown ?? l.declared;
    if (expected !== undefined && expected !== l.items.length) warnings.push(`"${name} (${l.declared}${l.shown !== undefined ? `, first ${l.shown}` : ''})" lists ${l.items.length} item(s)`);
  }
  const complete = review.shown === undefined && untouched.shown === undefined;
  const figures: PhaseFigures = {};
  const files = num(trailers[TRAILER.files]);
  if (files !== undefined) figures.files = files;
  const edits = num(trailers[TRAILER.edits]);
  if (edits !== undefined) figures.edits = edits;
  const compliance = /^(-?[\d.]+)\s*->\s*(-?[\d.]+)$/.exec(trailers[TRAILER.compliance] ?? '');
  if (compliance) figures.compliance = { before: Number(compliance[1]), after: Number(compliance[2]) };
  const needs = num(trailers[TRAILER.needsReview]);
  if (needs !== undefined) {
    figures.needsReview = needs;
    if (needs !== (review.shown !== undefined ? review.declared : review.items.length)) warnings.push(`${TRAILER.needsReview} says ${needs} but the message lists ${review.items.length}`);
  }
  const verified = lines.find((l) => l.startsWith(VERIFIED));
  if (verified) figures.verified = verified.slice(VERIFIED.length).trim();
  const tEvidence = trailers[REMOVE_SHIM_TRAILERS.telemetry];
  const tVerdicts = trailers[REMOVE_SHIM_TRAILERS.verdicts];
  const tWithout = trailers[REMOVE_SHIM_TRAILERS.withoutTelemetry];
  if (tEvidence || tVerdicts || tWithout) {
    figures.telemetry = {
      ...(tEvidence ? { evidence: tEvidence } : {}),
      ...(tVerdicts ? { verdicts: tVerdicts.split(/;\s*/).filter(Boolean) } : {}),
      ...(tWithout ? { withoutTelemetry: tWithout } : {}),
    };
  }
  if (trailers[TRAILER.rollback]) figures.rollbackOf = trailers[TRAILER.rollback];
  if (trailers[TRAILER.reverts]) figures.reverts = trailers[TRAILER.reverts];
  const out: CommitMessage = { subject: lines[0] ?? '', message, trailers, needsReview: review.items, leftUntouched: untouched.items, figures, warnings, complete };
  if (trailers[TRAILER.phase]) out.phase = trailers[TRAILER.phase];
  return out;
}

/** Compatibility for review: the lists and figures of a message whose trailers were read already. */
export function parsePhaseMessage(message: string): Pick<CommitMessage, 'needsReview' | 'leftUntouched' | 'figures' | 'warnings'> {
  const { needsReview, leftUntouched, figures, warnings } = parseCommitMessage(message);
  return { needsReview, leftUntouched, figures, warnings };
}
