// Types for diff-edits.js (plain JS: the diff thread runs it with no loader; see there).
import type { Edit } from './types.js';

/**
 * Runs of added/removed lines in a patch's hunks: with context 0 each hunk is one run (an
 * unchanged line always closes a context-0 hunk), with more context a hunk holds several.
 */
export declare function runsOfChanges(hunks: ReadonlyArray<{ lines: readonly string[] }>): number;
/**
 * createDiff's result (engine/diff.ts) for a file the engine spliced, `after` being `before` with
 * `edits` applied, without diffing the whole file.
 */
export declare function createDiffFromEdits(file: string, before: string, after: string, edits: readonly Edit[]): { diff: string; edits: number };
