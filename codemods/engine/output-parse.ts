/**
 * The after-edit parse check for phases that hand back whole new texts (remove-adapters' plan,
 * after its import rewrite and type guard) rather than splices the engine applies (engine/process.ts
 * checks those): a new text that does not parse is never written, and is reported as such (file,
 * line of the refused text, parse error) rather than left to the type guard, which withdraws it only
 * as "it would add a type error", and only for a file its program holds.
 */
import { parseErrorOf } from './parse.js';

export interface RefusedOutput {
  file: string;
  /** The first parse error's line in the refused text. */
  line: number;
  message: string;
}

/**
 * `changes` split into those whose `after` parses (or whose `before` did not either: such a file was
 * never the phase's to fix) and one refusal per other file, which is left as it was.
 */
export function parsableChanges<C extends { file: string; before: string; after: string }>(changes: readonly C[]): { kept: C[]; refused: RefusedOutput[] } {
  const kept: C[] = [];
  const refused: RefusedOutput[] = [];
  for (const c of changes) {
    const e = c.after === c.before ? undefined : parseErrorOf(c.file, c.after);
    if (e && parseErrorOf(c.file, c.before) === undefined) refused.push({ file: c.file, line: e.line, message: `rewrite output does not parse (${c.file}:${e.line}:${e.column}: ${e.message}); file left unchanged` });
    else kept.push(c);
  }
  return { kept, refused };
}
