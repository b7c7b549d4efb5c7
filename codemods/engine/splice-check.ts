/**
 * Whether a transform's output is known to parse without parsing all of it: the engine
 * re-parses every output (engine/process.ts) so a transform bug never writes a broken file, and
 * that re-parse was a fifth of a syntax phase's time. Most splices cannot break a file that
 * parsed, and the few that can sit at its top (the import block):
 *
 * - an identifier replaced by another plain identifier (no keyword, contextual or not): the
 *   tree keeps its shape (a rename);
 * - a string literal replaced by one string-literal token (a module specifier retargeted);
 * - every other splice (an import list rewritten, a statement removed or added) lies within the
 *   top-level statements from some `lo` to some `hi` of the original, at statement boundaries:
 *   then that part of the output (from the start of the file when the statement before `lo`
 *   could run into it) is parsed on its own and must parse, end with a statement nothing can
 *   continue (an import/export declaration, or `;`) and that what follows may follow (ASI), leave
 *   no comment open over the rest, and parse alone as it does in the file (a module exactly when
 *   the file is one, as it was); the statements around it are the original's (with only the two
 *   token splices above), which parsed between such boundaries.
 *
 * Anything else, or any doubt: false, and the caller parses the whole output as before (which
 * also gives the error message).
 */
import { deepestNodeAt, statementIndexAt } from './node-at.js';
import ts from './ts-api.js';
import type { Edit } from './types.js';

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A `#!` line, which TypeScript reads as trivia only at the very start of a file (after a BOM). */
const SHEBANG = /^\uFEFF?#![^\r\n\u2028\u2029]*/;

/** Scanners made on first use: TypeScript loads when a file is first parsed, not when this module is (ts-api.js). */
let plainScanner: ts.Scanner | undefined;
let triviaScanner: ts.Scanner | undefined;
const plain = (): ts.Scanner => (plainScanner ??= ts.createScanner(ts.ScriptTarget.Latest, false));

/**
 * A name that is an identifier wherever it stands: not a keyword, reserved or contextual (`type`,
 * `as`, `of`, `await`...; the scanner gives every one of them its keyword kind).
 */
function plainName(s: string): boolean {
  if (!PLAIN_IDENTIFIER.test(s)) return false;
  // a keyword is the one such name the scanner does not read as an identifier: asked of a set, not a
  // scanner (~100k splices on the bench's 100% tree)
  return !keywords().has(s);
}

let keywordTexts: Set<string> | undefined;
/** Every keyword's text, reserved or contextual (the scanner gives each its own kind). */
function keywords(): Set<string> {
  if (keywordTexts) return keywordTexts;
  keywordTexts = new Set();
  for (let k = ts.SyntaxKind.FirstKeyword; k <= ts.SyntaxKind.LastKeyword; k++) {
    const t = ts.tokenToString(k);
    if (t !== undefined) keywordTexts.add(t);
  }
  return keywordTexts;
}

/** `s` is exactly one complete string literal token. */
function oneStringLiteral(s: string): boolean {
  const scanner = plain();
  scanner.setText(s);
  const kind = scanner.scan();
  const ok = kind === ts.SyntaxKind.StringLiteral && !scanner.isUnterminated() && scanner.getTokenEnd() === s.length;
  scanner.setText(undefined);
  return ok;
}

/** The node spanning exactly [start, end) when it is a token (no node below it), if any. */
function tokenSpanning(sf: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  // a token spanning the range holds `start` and has no children: the deepest node holding `start`
  const n = deepestNodeAt(sf, start);
  return n !== undefined && n.end === end && n.getStart(sf) === start ? n : undefined;
}

/** A splice that swaps one token for one of the same kind: it cannot change how the file parses. */
function tokenSplice(sf: ts.SourceFile, text: string, e: Edit): boolean {
  if (e.start === e.end) return false;
  const original = text.slice(e.start, e.end);
  if (plainName(original) && plainName(e.text)) {
    const n = tokenSpanning(sf, e.start, e.end);
    return n !== undefined && ts.isIdentifier(n);
  }
  if ((original[0] === '"' || original[0] === "'") && oneStringLiteral(e.text)) {
    const n = tokenSpanning(sf, e.start, e.end);
    return n !== undefined && ts.isStringLiteral(n);
  }
  return false;
}

/**
 * `at` itself when the original text from there on starts outside any comment; otherwise the end
 * of the statement whose leading trivia holds it (the end of the file for the trailing trivia).
 */
function outsideComments(sf: ts.SourceFile, text: string, at: number): number {
  const i = statementIndexAt(sf, at);
  const st = sf.statements[i];
  const pos = st !== undefined ? st.pos : sf.endOfFileToken.pos;
  if (!(pos < at && at < (st !== undefined ? st.getStart(sf) : text.length))) return at;
  // a comment on the line the previous statement ends on is a trailing one to TypeScript, not a leading one; a shebang is neither
  const comments: Array<{ pos: number; end: number }> = [...(ts.getTrailingCommentRanges(text, pos) ?? []), ...(ts.getLeadingCommentRanges(text, pos) ?? [])];
  const shebang = pos === 0 ? SHEBANG.exec(text) : null;
  if (shebang) comments.push({ pos: 0, end: shebang[0].length });
  return comments.some((c) => c.pos < at && at < c.end) ? (st !== undefined ? st.end : text.length) : at;
}

/** Statements after which the next statement starts fresh, whatever it is. */
function endsDecisively(st: ts.Statement, text: string): boolean {
  if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) return true;
  if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) return true;
  return text.charCodeAt(st.end - 1) === 59; // ';'
}

/** A statement that makes its file a module by itself. */
function isModuleSyntax(st: ts.Statement): boolean {
  if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st)) return true;
  if (ts.isImportEqualsDeclaration(st)) return ts.isExternalModuleReference(st.moduleReference) || st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
  return ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
}

const isModuleIndicator = (sf: ts.SourceFile): boolean => (sf as unknown as { externalModuleIndicator?: unknown }).externalModuleIndicator !== undefined;

/** A part of the output parsed on its own, when it parses; undefined when it does not. */
function parsesAlone(fileName: string, part: string, scriptKind: ts.ScriptKind): ts.SourceFile | undefined {
  const sf = ts.createSourceFile(fileName, part, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKind);
  return ((sf as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics ?? []).length > 0 ? undefined : sf;
}

/** The first token of `text` from `at` on (trivia skipped): where it starts, its kind, and whether a line break comes before it. */
function nextToken(text: string, at: number): { start: number; kind: ts.SyntaxKind; lineBreak: boolean } {
  const tokens = (triviaScanner ??= ts.createScanner(ts.ScriptTarget.Latest, true));
  tokens.setText(text, at);
  const kind = tokens.scan();
  const t = { start: tokens.getTokenStart(), kind, lineBreak: tokens.hasPrecedingLineBreak() };
  tokens.setText(undefined);
  return t;
}

/**
 * The statement ending at `end` of `text` may be followed by what comes next without a `;`
 * (TypeScript's canParseSemicolon): it ends in `;`, or the next token is on a later line, or it
 * is `;`, `}` or the end of the file. An import or export declaration nothing can continue still
 * needs one of these (`import a from 'a' import b from 'b'` does not parse).
 */
function separated(text: string, end: number): boolean {
  if (text.charCodeAt(end - 1) === 59) return true;
  const t = nextToken(text, end);
  return t.kind === ts.SyntaxKind.EndOfFileToken || t.kind === ts.SyntaxKind.SemicolonToken || t.kind === ts.SyntaxKind.CloseBraceToken || t.lineBreak;
}

/**
 * True when `after` (= `text` with `edits` applied, `sf` its parse without errors) is known to
 * parse without errors; false means "not known": parse it.
 *
 * The structural splices are checked by parsing the output's statements they reach, from the
 * first one (`lo`, after a statement that ends decisively, the same text in the output) to `hi`:
 * the statements before `lo` are the original's (token splices aside), which parsed and cannot be
 * continued. When that does not hold, the output is parsed from its start up to `hi` as before.
 * Either way the part parsed must be a module exactly when the whole output is, since a module's
 * top-level `await` parses differently (TypeScript re-parses it), and so must the original.
 */
export function splicesKeepParsing(fileName: string, sf: ts.SourceFile, text: string, edits: readonly Edit[], after: string, scriptKind: ts.ScriptKind): boolean {
  // in JSX an identifier can be a tag name that must match its closing tag, and an attribute's string has no escapes
  const tokensSafe = scriptKind !== ts.ScriptKind.TSX && scriptKind !== ts.ScriptKind.JSX;
  let hi = -1;
  let first = Infinity; // the first top-level statement a structural splice reaches into
  let starts: number[] | undefined; // of the top-level statements' first tokens, computed once
  const sts = sf.statements;
  for (const e of edits) {
    if (tokensSafe && tokenSplice(sf, text, e)) continue;
    if (starts === undefined) {
      // by push, not map(): one array map always (map()'s copies varied, a deoptimization here)
      starts = [];
      for (const st of sts) starts.push(st.getStart(sf));
    }
    // the end of the top-level statement this splice reaches into (its tokens, not its leading trivia)
    let reach = e.end;
    let from = -1;
    for (let i = 0; i < starts.length; i++) {
      const s = starts[i]!;
      const st = sts[i]!;
      const touches = e.start === e.end ? s < e.start && e.start <= st.end : e.start < st.end && e.end > s;
      if (touches) {
        if (from < 0) from = i;
        if (st.end > reach) reach = st.end;
      }
      if (s >= e.end) break;
    }
    // a splice in trivia only: the statement whose range holds it (or the end of the file's trivia)
    if (from < 0) from = statementIndexAt(sf, e.start);
    if (from < first) first = from;
    if (reach > hi) hi = reach;
  }
  if (hi < 0) return true; // token splices only
  // a splice that ends in the trivia before a statement must not leave the rest starting inside a comment
  hi = outsideComments(sf, text, hi);
  // where hi lands in the output: every splice ending at or before it is in the part parsed
  let shift = 0;
  for (const e of edits) if (e.end <= hi) shift += e.text.length - (e.end - e.start);
  const wasModule = isModuleIndicator(sf);
  /**
   * The output's part from `start` (in the output) up to hi parses, the rest can follow it, and
   * it parses alone as it does in the output: as a module exactly when the output is one (a
   * module's top-level `await` parses differently: TypeScript re-parses it), and the output is a
   * module exactly when the original was. `outside`: a statement of the original outside the part is module syntax.
   */
  const holds = (start: number, outside: () => boolean): boolean => {
    const partText = after.slice(start, hi + shift);
    // a part from the middle of the output must not start the way only a file may (a shebang)
    if (start > 0 && SHEBANG.test(partText)) return false;
    const part = parsesAlone(fileName, partText, scriptKind);
    if (part === undefined) return false;
    const last = part.statements[part.statements.length - 1];
    if (hi < text.length) {
      // the rest must start fresh after the part: nothing continues its last statement, and what follows may follow it
      if (last !== undefined && !(endsDecisively(last, partText) && separated(after, start + last.end))) return false;
      // and the part's trivia must not swallow the rest's first token (a `//` the splices left open before it)
      if (nextToken(after, start + (last?.end ?? 0)).start - (hi + shift) !== nextToken(text, hi).start - hi) return false;
    }
    if (isModuleIndicator(part)) return wasModule;
    if (!wasModule) return true; // a script, as the original (nothing outside the part is module syntax)
    // the part alone is a script, the output a module through the statements around it: the same parse without an `await`
    return !partText.includes('await') && outside();
  };
  const moduleAfter = (): boolean => sts.some((st) => st.pos >= hi && isModuleSyntax(st));
  // from the first statement reached, after one that ends decisively and lets the next start on its own
  if (first > 0 && first < sts.length && endsDecisively(sts[first - 1]!, text)) {
    const lo = sts[first]!.pos;
    let loShift = 0;
    for (const e of edits) if (e.end <= lo) loShift += e.text.length - (e.end - e.start);
    if (separated(after, lo + loShift) && holds(lo + loShift, () => sts.some((st, k) => k < first && isModuleSyntax(st)) || moduleAfter())) return true;
  }
  // else the output from its start
  return holds(0, moduleAfter);
}
