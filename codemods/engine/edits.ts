import type { Edit } from './types.js';

export class OverlappingEditsError extends Error {
  constructor(a: Edit, b: Edit) {
    super(`overlapping edits [${a.start},${a.end}) and [${b.start},${b.end})`);
    this.name = 'OverlappingEditsError';
  }
}

/**
 * Apply splices to the original text. Everything outside the edited ranges is copied verbatim,
 * which is what keeps CRLF, a BOM, comments and quote style byte-identical. Pure insertions at
 * the same offset keep their order of arrival.
 */
export function applyEdits(source: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return source;
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i)
    .map((x) => x.e);
  let out = '';
  let cursor = 0;
  let prev: Edit | undefined;
  for (const edit of sorted) {
    if (edit.start < cursor || (prev && edit.start < prev.end)) throw new OverlappingEditsError(prev ?? edit, edit);
    out += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
    prev = edit;
  }
  return out + source.slice(cursor);
}
