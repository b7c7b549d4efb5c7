import { createDiffFromEdits } from './diff.js';
import { applyEdits } from './edits.js';
import { parseErrorOf, parseSource, scriptKindOf } from './parse.js';
import { splicesKeepParsing } from './splice-check.js';
import type { PhaseRuntime, SyntaxTransform } from './transform.js';
import type { Edit, FileReport } from './types.js';

export interface ProcessedFile {
  report: FileReport;
  /** New text, only when changed. */
  after?: string;
  data?: unknown;
  /** With `after`, from processCompact: the file's unified diff and its changed regions (engine/diff.ts). */
  diff?: string;
  edits?: number;
}

/**
 * One file through one syntax transform: parse (refusing files with parse errors), transform,
 * splice, and re-parse the result so a transform bug can never write a broken file (only the
 * part of it the splices can have broken: engine/splice-check.ts).
 */
export function processFile(file: string, text: string, transform: SyntaxTransform, rt: PhaseRuntime): ProcessedFile {
  return spliced(file, text, transform, rt).p;
}

const NO_JSDOC = { jsDoc: false } as const;

/** processFile's result and, for a changed file, the splices that made `after`. */
function spliced(file: string, text: string, transform: SyntaxTransform, rt: PhaseRuntime): { p: ProcessedFile; edits?: readonly Edit[] } {
  const { sf, error } = parseSource(file, text, transform.jsDoc === false ? NO_JSDOC : undefined);
  if (error) return { p: { report: { file, status: 'failed', error, problems: [] } } };
  let out;
  try {
    out = transform.transform({ file, text, sf }, rt);
  } catch (err) {
    return { p: { report: { file, status: 'failed', error: { line: 0, column: 0, message: `transform threw: ${(err as Error).stack ?? String(err)}` }, problems: [] } } };
  }
  const base = out.data === undefined ? {} : { data: out.data };
  if (out.skip !== undefined) return { p: { ...base, report: { file, status: 'skipped', reason: out.skip, problems: out.problems } } };
  let after: string;
  try {
    after = applyEdits(text, out.edits);
  } catch (err) {
    return { p: { ...base, report: { file, status: 'failed', error: { line: 0, column: 0, message: (err as Error).message }, problems: out.problems } } };
  }
  if (after === text) return { p: { ...base, report: { file, status: 'unchanged', problems: out.problems } } };
  // the whole output is parsed again unless its splices are known not to break it (engine/splice-check.ts)
  const e = splicesKeepParsing(file, sf, text, out.edits, after, scriptKindOf(file)) ? undefined : parseErrorOf(file, after);
  if (e) {
    return {
      p: { ...base, report: { file, status: 'failed', error: { ...e, message: `transform output does not parse (${e.line}:${e.column}: ${e.message}); file left unchanged` }, problems: out.problems } },
    };
  }
  return { p: { ...base, report: { file, status: 'changed', problems: out.problems }, after }, edits: out.edits };
}

/**
 * processFile's result as the pool carries it (engine/pool.ts), with a changed file's diff computed
 * where it was transformed (on a pool worker that is in parallel) from its splices (engine/diff.ts
 * createDiffFromEdits), and its splices in place of its new text, which the thread holding the
 * original rebuilds (expandProcessed).
 */
export interface CompactProcessedFile extends Omit<ProcessedFile, 'after'> {
  splices?: readonly Edit[];
}

/**
 * processFile plus the diff, with the new text left out (compact: the splices that make it instead).
 * `diff` false: a changed file comes without its diff and changed regions, which the diff thread
 * builds from the splices (engine/diff-thread.ts).
 */
export function processCompact(file: string, text: string, transform: SyntaxTransform, rt: PhaseRuntime, diff = true): CompactProcessedFile {
  const { p, edits } = spliced(file, text, transform, rt);
  if (p.after === undefined || edits === undefined) return p;
  // plain {start, end, text}: a transform's edit may carry more (nodes) that must not cross threads
  const splices: Edit[] = [];
  for (const e of edits) splices.push({ start: e.start, end: e.end, text: e.text });
  if (!diff) return p.data === undefined ? { report: p.report, splices } : { data: p.data, report: p.report, splices };
  const { diff: d, edits: regions } = createDiffFromEdits(file, text, p.after, edits);
  // built as literals (the keys in the order the object spreads gave), not spread: spreading was ~1% of a worker's time
  return p.data === undefined ? { report: p.report, diff: d, edits: regions, splices } : { data: p.data, report: p.report, diff: d, edits: regions, splices };
}

/** A ProcessedFile with, when changed, the original text its new text was spliced from. */
export interface ExpandedFile extends ProcessedFile {
  before?: string;
}

/**
 * The ProcessedFile of a compact result, its new text spliced again from the original `text`
 * (kept as `before`): the same string (applyEdits is deterministic), built by V8 as slices of
 * `text` joined with the edits' texts, which share the original's memory until something reads
 * the new text's characters (the new texts of a dry run over the bench's 20,000 files: ~19 MiB
 * held no more). The copy a worker sent back, or the one the splice check and the diff
 * flattened, is left to the collector.
 */
export function expandProcessed(c: CompactProcessedFile, text: string): ExpandedFile {
  if (c.splices === undefined) return c;
  const { splices, ...rest } = c;
  return { ...rest, after: applyEdits(text, splices), before: text };
}
