// Splices applied to a text. Plain JS (types in edits.d.ts): the diff thread (diff-worker.js) runs it
// with no loader, from the TypeScript sources too; the build copies both into dist/ as they are.

export class OverlappingEditsError extends Error {
  constructor(a, b) {
    super(`overlapping edits [${a.start},${a.end}) and [${b.start},${b.end})`);
    this.name = 'OverlappingEditsError';
  }
}

/**
 * Apply splices to the original text. Everything outside the edited ranges is copied verbatim,
 * which is what keeps CRLF, a BOM, comments and quote style byte-identical. Pure insertions at
 * the same offset keep their order of arrival.
 */
export function applyEdits(source, edits) {
  if (edits.length === 0) return source;
  // a copy built by push (one array map whatever the caller's array was: the copies map() made
  // had other maps now and then, each a deoptimization of this function) sorted stably, so
  // splices at the same position keep their order of arrival
  const sorted = [];
  for (const e of edits) sorted.push(e);
  sorted.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  let prev;
  for (const edit of sorted) {
    if (edit.start < cursor || (prev && edit.start < prev.end)) throw new OverlappingEditsError(prev ?? edit, edit);
    out += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
    prev = edit;
  }
  return out + source.slice(cursor);
}
