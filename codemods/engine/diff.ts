import { diffLines, formatPatch, structuredPatch } from 'diff';
import type { Edit } from './types.js';

/** A git-style unified diff of one file (a/ b/ prefixes, so `git apply` takes it). */
export function unifiedDiff(file: string, before: string, after: string): string {
  return createDiff(file, before, after).diff;
}

/**
 * Changed regions (diff hunks without context). When the line count is unchanged (most
 * splices) the regions are the runs of differing lines, counted in one pass; otherwise a line diff.
 */
export function changedRegions(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return structuredPatch('a', 'b', before, after, '', '', { context: 0 }).hunks.length;
  return lineRuns(a, b);
}

function lineRuns(a: readonly string[], b: readonly string[]): number {
  let regions = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && (i === 0 || a[i - 1] === b[i - 1])) regions++;
  return regions;
}

/**
 * Runs of added/removed lines in a patch's hunks: with context 0 each hunk is one run (an
 * unchanged line always closes a context-0 hunk), with more context a hunk holds several.
 */
function runsOfChanges(hunks: ReadonlyArray<{ lines: readonly string[] }>): number {
  let runs = 0;
  for (const h of hunks) {
    let inRun = false;
    for (const l of h.lines) {
      const c = l[0];
      if (c === '\\') continue; // "\ No newline at end of file" belongs to the line before it
      const changed = c === '+' || c === '-';
      if (changed && !inRun) runs++;
      inRun = changed;
    }
  }
  return runs;
}

/**
 * The unified diff of one changed file and its changed regions (changedRegions' figure), from
 * one line diff: computed where the file was transformed (a pool worker), so the main thread
 * does not diff every file again after the workers finish.
 */
export function createDiff(file: string, before: string, after: string): { diff: string; edits: number } {
  const patch = structuredPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
  const a = before.split('\n');
  const b = after.split('\n');
  return { diff: formatPatch(patch), edits: a.length === b.length ? lineRuns(a, b) : runsOfChanges(patch.hunks) };
}

/** One run of removed and added lines (jsdiff's order), at 0-based line indexes of each side. */
interface Change {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** '-' / '+' prefixed, each with its own line break. */
  lines: string[];
}

/** `text` cut after each '\n', as jsdiff's line diff tokenizes it (a last line without one kept as is). */
function linesOf(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', at)) {
    out.push(text.slice(at, nl + 1));
    at = nl + 1;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

const byPosition = (a: Edit, b: Edit): number => a.start - b.start || a.end - b.end;

function isSorted(edits: readonly Edit[]): boolean {
  for (let i = 1; i < edits.length; i++) if (byPosition(edits[i - 1]!, edits[i]!) > 0) return false;
  return true;
}

/** The index of the line holding `pos`, given each line's start offset. */
function lineAt(starts: readonly number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The changed line runs of `before` → `after` (= `before` with `edits` applied), found from the
 * splices instead of a diff of the whole file: the lines each splice touches (neighbouring ones
 * merged) are compared on their own, common first and last lines trimmed, and only a run with
 * several lines on both sides is line-diffed (jsdiff, on those lines alone). Lines no splice
 * touches are the same on both sides, shifted by the line count the splices before them added.
 */
function changesOfEdits(before: string, after: string, edits: readonly Edit[], starts: readonly number[], nLines: number): Change[] {
  const sorted = isSorted(edits) ? edits : [...edits].sort(byPosition);
  const last = Math.max(0, nLines - 1);
  // groups of touched lines [a0, a1] of `before`, with the characters the splices before each added
  const groups: Array<{ a0: number; a1: number; shift: number; delta: number }> = [];
  let shift = 0;
  for (const e of sorted) {
    const a0 = Math.min(lineAt(starts, e.start), last);
    const a1 = Math.min(lineAt(starts, e.end), last);
    const d = e.text.length - (e.end - e.start);
    const g = groups[groups.length - 1];
    if (g && a0 <= g.a1 + 1) {
      g.a1 = Math.max(g.a1, a1);
      g.delta += d;
    } else groups.push({ a0, a1, shift, delta: d });
    shift += d;
  }
  const out: Change[] = [];
  let lineShift = 0; // after's line index minus before's, past the groups so far
  for (const g of groups) {
    const from = starts[g.a0] ?? before.length;
    const to = g.a1 + 1 < starts.length ? starts[g.a1 + 1]! : before.length;
    const a = linesOf(before.slice(from, to));
    const b = linesOf(after.slice(from + g.shift, to + g.shift + g.delta));
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    const removed = a.slice(head, a.length - tail);
    const added = b.slice(head, b.length - tail);
    const oldAt = g.a0 + head;
    const newAt = g.a0 + lineShift + head;
    if (removed.length > 1 && added.length > 1) {
      // lines may be common inside the run too: diff it as a line diff of the whole file would
      let o = oldAt;
      let n = newAt;
      let cur: Change | undefined;
      for (const part of diffLines(removed.join(''), added.join(''))) {
        const count = part.count ?? linesOf(part.value).length;
        if (!part.added && !part.removed) {
          cur = undefined;
          o += count;
          n += count;
          continue;
        }
        if (!cur) out.push((cur = { oldStart: o, oldCount: 0, newStart: n, newCount: 0, lines: [] }));
        for (const l of linesOf(part.value)) cur.lines.push((part.added ? '+' : '-') + l);
        if (part.added) {
          cur.newCount += count;
          n += count;
        } else {
          cur.oldCount += count;
          o += count;
        }
      }
    } else if (removed.length > 0 || added.length > 0) {
      // pushed one by one, not spread from two map()s: an empty side's array has another map than
      // a filled one, and the first run with one (a pure insertion) deoptimized this function
      const lines: string[] = [];
      for (const l of removed) lines.push(`-${l}`);
      for (const l of added) lines.push(`+${l}`);
      out.push({ oldStart: oldAt, oldCount: removed.length, newStart: newAt, newCount: added.length, lines });
    }
    lineShift += b.length - a.length;
  }
  return out;
}

/**
 * createDiff's result for a file the engine spliced, without diffing the whole file: the same
 * hunks (3 lines of context, runs up to 6 common lines apart in one hunk) built from the runs
 * changesOfEdits finds, formatted by jsdiff. About a tenth of the whole-file line diff's cost
 * on the bench's files, where most of a file is untouched.
 */
export function createDiffFromEdits(file: string, before: string, after: string, edits: readonly Edit[]): { diff: string; edits: number } {
  const starts = [0];
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) starts.push(i + 1);
  const nLines = before.length === 0 ? 0 : before.endsWith('\n') ? starts.length - 1 : starts.length;
  const line = (k: number): string => before.slice(starts[k]!, k + 1 < starts.length ? starts[k + 1]! : before.length);
  const changes = changesOfEdits(before, after, edits, starts, nLines);
  const C = 3;
  const hunks: Array<{ oldStart: number; oldLines: number; newStart: number; newLines: number; lines: string[] }> = [];
  let hunk: (typeof hunks)[number] | undefined;
  changes.forEach((c, i) => {
    if (!hunk) {
      const ctx = Math.min(C, c.oldStart - (i > 0 ? changes[i - 1]!.oldStart + changes[i - 1]!.oldCount : 0));
      hunk = { oldStart: c.oldStart - ctx + 1, oldLines: ctx, newStart: c.newStart - ctx + 1, newLines: ctx, lines: [] };
      for (let k = c.oldStart - ctx; k < c.oldStart; k++) hunk.lines.push(` ${line(k)}`);
    }
    hunk.lines.push(...c.lines);
    hunk.oldLines += c.oldCount;
    hunk.newLines += c.newCount;
    const end = c.oldStart + c.oldCount;
    const next = changes[i + 1];
    const gap = (next ? next.oldStart : nLines) - end;
    const keep = next && gap <= 2 * C ? gap : Math.min(gap, C);
    for (let k = end; k < end + keep; k++) hunk.lines.push(` ${line(k)}`);
    hunk.oldLines += keep;
    hunk.newLines += keep;
    if (!(next && gap <= 2 * C)) {
      hunks.push(hunk);
      hunk = undefined;
    }
  });
  // jsdiff's last step: lines without their break, "\ No newline at end of file" after the one that has none
  for (const h of hunks) {
    const lines: string[] = [];
    for (const l of h.lines) {
      if (l.endsWith('\n')) lines.push(l.slice(0, -1));
      else lines.push(l, '\\ No newline at end of file');
    }
    h.lines = lines;
  }
  const diff = formatPatch({ oldFileName: `a/${file}`, newFileName: `b/${file}`, oldHeader: undefined, newHeader: undefined, hunks });
  // createDiff's count without splitting both texts into lines (two arrays of every line per file)
  const sameLineCount = countOf(after, '\n') === starts.length - 1;
  return { diff, edits: sameLineCount && changes.length > 0 ? lineRunsFrom(before, after, starts, changes[0]!.oldStart) : runsOfChanges(hunks) };
}

function countOf(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * lineRuns of the two texts split at '\n' (as many lines on each side), from line `from` on:
 * the lines before it are the same on both sides (no splice reaches them), so are their offsets.
 */
function lineRunsFrom(before: string, after: string, starts: readonly number[], from: number): number {
  let runs = 0;
  let prevSame = true;
  let a = starts[from]!;
  let b = a;
  for (let i = from; i < starts.length; i++) {
    const aEnd = i + 1 < starts.length ? starts[i + 1]! - 1 : before.length;
    const bNl = after.indexOf('\n', b);
    const bEnd = bNl === -1 ? after.length : bNl;
    const same = aEnd - a === bEnd - b && sameChars(before, a, after, b, aEnd - a);
    if (!same && prevSame) runs++;
    prevSame = same;
    a = aEnd + 1;
    b = bEnd + 1;
  }
  return runs;
}

function sameChars(x: string, xi: number, y: string, yi: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (x.charCodeAt(xi + k) !== y.charCodeAt(yi + k)) return false;
  return true;
}
