// A changed file's unified diff built from its splices (createDiffFromEdits), on the thread that
// transformed it or on the diff thread of a large in-process run (diff-worker.js, engine/diff-thread.ts).
// Plain JS, because that thread runs it with no loader (from the TypeScript sources too); types in
// diff-edits.d.ts. The build copies both into dist/ as they are; engine/diff.ts re-exports it.
import { diffLines, formatPatch } from 'diff';

/**
 * Runs of added/removed lines in a patch's hunks: with context 0 each hunk is one run (an
 * unchanged line always closes a context-0 hunk), with more context a hunk holds several.
 */

export function runsOfChanges(hunks) {
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

/** `text` cut after each '\n', as jsdiff's line diff tokenizes it (a last line without one kept as is). */

function linesOf(text) {
  const out = [];
  let at = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', at)) {
    out.push(text.slice(at, nl + 1));
    at = nl + 1;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

const byPosition = (a, b) => a.start - b.start || a.end - b.end;

function isSorted(edits) {
  for (let i = 1; i < edits.length; i++) if (byPosition(edits[i - 1], edits[i]) > 0) return false;
  return true;
}

/** The index of the line holding `pos`, given each line's start offset. */

function lineAt(starts, pos) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= pos) lo = mid;
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

function changesOfEdits(before, after, edits, starts, nLines) {
  const sorted = isSorted(edits) ? edits : [...edits].sort(byPosition);
  const last = Math.max(0, nLines - 1);
  // groups of touched lines [a0, a1] of `before`, with the characters the splices before each added
  const groups = [];
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
  const out = [];
  let lineShift = 0; // after's line index minus before's, past the groups so far
  for (const g of groups) {
    const from = starts[g.a0] ?? before.length;
    const to = g.a1 + 1 < starts.length ? starts[g.a1 + 1] : before.length;
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
      let cur;
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
      const lines = [];
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

export function createDiffFromEdits(file, before, after, edits) {
  const starts = [0];
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) starts.push(i + 1);
  const nLines = before.length === 0 ? 0 : before.endsWith('\n') ? starts.length - 1 : starts.length;
  const line = (k) => before.slice(starts[k], k + 1 < starts.length ? starts[k + 1] : before.length);
  const changes = changesOfEdits(before, after, edits, starts, nLines);
  const C = 3;
  const hunks = [];
  let hunk;
  changes.forEach((c, i) => {
    if (!hunk) {
      const ctx = Math.min(C, c.oldStart - (i > 0 ? changes[i - 1].oldStart + changes[i - 1].oldCount : 0));
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
    const lines = [];
    for (const l of h.lines) {
      if (l.endsWith('\n')) lines.push(l.slice(0, -1));
      else lines.push(l, '\\ No newline at end of file');
    }
    h.lines = lines;
  }
  const diff = formatPatch({ oldFileName: `a/${file}`, newFileName: `b/${file}`, oldHeader: undefined, newHeader: undefined, hunks });
  // createDiff's count without splitting both texts into lines (two arrays of every line per file)
  const sameLineCount = countOf(after, '\n') === starts.length - 1;
  return { diff, edits: sameLineCount && changes.length > 0 ? lineRunsFrom(before, after, starts, changes[0].oldStart) : runsOfChanges(hunks) };
}

function countOf(text, ch) {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * lineRuns of the two texts split at '\n' (as many lines on each side), from line `from` on:
 * the lines before it are the same on both sides (no splice reaches them), so are their offsets.
 */

function lineRunsFrom(before, after, starts, from) {
  let runs = 0;
  let prevSame = true;
  let a = starts[from];
  let b = a;
  for (let i = from; i < starts.length; i++) {
    const aEnd = i + 1 < starts.length ? starts[i + 1] - 1 : before.length;
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

function sameChars(x, xi, y, yi, n) {
  for (let k = 0; k < n; k++) if (x.charCodeAt(xi + k) !== y.charCodeAt(yi + k)) return false;
  return true;
}
