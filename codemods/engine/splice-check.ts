/**
 * Whether a transform's output is known to parse without parsing all of it: the engine
 * re-parses every output (engine/process.ts) so a transform bug never writes a broken file, and
 * that re-parse was a fifth of a syntax phase's time. Most splices cannot break a file that
 * parsed, and the few that can sit at its top (the import block):
 *
 * - an identifier replaced by another plain identifier (no keyword, contextual or not): the
 *   tree keeps its shape (a rename);
 * - a string literal replaced by one string-literal token (a module specifier retargeted);
 * - every other splice (an import list rewritten, a statement removed or added) lies before some
 *   point `hi` of the original at a statement boundary: then the output up to `hi` is parsed on
 *   its own and must parse, end with a statement nothing can continue (an import/export
 *   declaration, or `;`), and keep the file a module if it was one; the rest is the original's
 *   own statements (with only the two token splices above), which parsed after such a boundary.
 *
 * Anything else, or any doubt: false, and the caller parses the whole output as before (which
 * also gives the error message).
 */
import ts from './ts-api.js';
import type { Edit } from './types.js';

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const scanner = ts.createScanner(ts.ScriptTarget.Latest, false);

/**
 * A name that is an identifier wherever it stands: not a keyword, reserved or contextual (`type`,
 * `as`, `of`, `await`...; the scanner gives every one of them its keyword kind).
 */
function plainName(s: string): boolean {
  if (!PLAIN_IDENTIFIER.test(s)) return false;
  scanner.setText(s);
  const ok = scanner.scan() === ts.SyntaxKind.Identifier && scanner.getTokenEnd() === s.length;
  scanner.setText(undefined);
  return ok;
}

/** `s` is exactly one complete string literal token. */
function oneStringLiteral(s: string): boolean {
  scanner.setText(s);
  const kind = scanner.scan();
  const ok = kind === ts.SyntaxKind.StringLiteral && !scanner.isUnterminated() && scanner.getTokenEnd() === s.length;
  scanner.setText(undefined);
  return ok;
}

/** The deepest node spanning exactly [start, end) (from its first token), if any. */
function nodeSpanning(sf: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): true | undefined => {
    if (n.pos > start || n.end < end) return undefined; // the range is not inside n (pos includes trivia)
    if (n.end === end && n.getStart(sf) === start) found = n;
    ts.forEachChild(n, (c) => (c.pos <= start && c.end >= end ? visit(c) : undefined));
    return true;
  };
  visit(sf);
  return found;
}

/** A splice that swaps one token for one of the same kind: it cannot change how the file parses. */
function tokenSplice(sf: ts.SourceFile, text: string, e: Edit): boolean {
  if (e.start === e.end) return false;
  const original = text.slice(e.start, e.end);
  if (plainName(original) && plainName(e.text)) {
    const n = nodeSpanning(sf, e.start, e.end);
    return n !== undefined && ts.isIdentifier(n);
  }
  if ((original[0] === '"' || original[0] === "'") && oneStringLiteral(e.text)) {
    const n = nodeSpanning(sf, e.start, e.end);
    return n !== undefined && ts.isStringLiteral(n);
  }
  return false;
}

/**
 * `at` itself when the original text from there on starts outside any comment; otherwise the end
 * of the statement whose leading trivia holds it (the end of the file for the trailing trivia).
 */
function outsideComments(sf: ts.SourceFile, text: string, at: number): number {
  const holders: Array<{ pos: number; start: number; end: number }> = sf.statements.map((st) => ({ pos: st.pos, start: st.getStart(sf), end: st.end }));
  holders.push({ pos: sf.endOfFileToken.pos, start: text.length, end: text.length });
  const h = holders.find((x) => x.pos < at && at < x.start);
  if (!h) return at;
  const comments = ts.getLeadingCommentRanges(text, h.pos) ?? [];
  return comments.some((c) => c.pos < at && at < c.end) ? h.end : at;
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

/**
 * True when `after` (= `text` with `edits` applied, `sf` its parse without errors) is known to
 * parse without errors; false means "not known": parse it.
 */
export function splicesKeepParsing(fileName: string, sf: ts.SourceFile, text: string, edits: readonly Edit[], after: string, scriptKind: ts.ScriptKind): boolean {
  // in JSX an identifier can be a tag name that must match its closing tag, and an attribute's string has no escapes
  const tokensSafe = scriptKind !== ts.ScriptKind.TSX && scriptKind !== ts.ScriptKind.JSX;
  let hi = -1;
  let starts: number[] | undefined; // of the top-level statements' first tokens, computed once
  for (const e of edits) {
    if (tokensSafe && tokenSplice(sf, text, e)) continue;
    starts ??= sf.statements.map((st) => st.getStart(sf));
    // the end of the top-level statement this splice reaches into (its tokens, not its leading trivia)
    let reach = e.end;
    for (let i = 0; i < starts.length; i++) {
      const s = starts[i]!;
      const st = sf.statements[i]!;
      const touches = e.start === e.end ? s < e.start && e.start <= st.end : e.start < st.end && e.end > s;
      if (touches && st.end > reach) reach = st.end;
      if (s >= e.end) break;
    }
    if (reach > hi) hi = reach;
  }
  if (hi < 0) return true; // token splices only
  // a splice that ends in the trivia before a statement must not leave the rest starting inside a comment
  hi = outsideComments(sf, text, hi);
  // where hi lands in the output: every splice ending at or before it is in the prefix
  let shift = 0;
  for (const e of edits) if (e.end <= hi) shift += e.text.length - (e.end - e.start);
  const prefix = after.slice(0, hi + shift);
  const head = ts.createSourceFile(fileName, prefix, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKind);
  if (((head as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics ?? []).length > 0) return false;
  const last = head.statements[head.statements.length - 1];
  if (last !== undefined && hi < text.length && !endsDecisively(last, prefix)) return false;
  // a module stays a module (top-level await, strictness): not known when the prefix lost the last import/export
  if (isModuleIndicator(sf) && !isModuleIndicator(head) && !sf.statements.some((st) => st.pos >= hi && isModuleSyntax(st))) return false;
  return true;
}
