// Types for edits.js (plain JS: the diff thread runs it with no loader; see there).
import type { Edit } from './types.js';

export declare class OverlappingEditsError extends Error {
  constructor(a: Edit, b: Edit);
}
/**
 * Apply splices to the original text. Everything outside the edited ranges is copied verbatim,
 * which is what keeps CRLF, a BOM, comments and quote style byte-identical. Pure insertions at
 * the same offset keep their order of arrival.
 */
export declare function applyEdits(source: string, edits: readonly Edit[]): string;
