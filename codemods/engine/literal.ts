/**
 * The one way a value reaches generated code as a string: the TypeScript printer's string-literal
 * escaping (quotes, backslashes, line breaks, control and line-separator characters), with the
 * visible characters of any script kept readable. And the one check that a name written into code
 * as a bare word is an identifier. Every write point of the phases (strangle facades and their
 * generated tables, rewrite-imports, remove-adapters, consolidate-types) goes through these, so
 * a manifest value never becomes code even where the loader's validation was bypassed.
 */
import ts from './ts-api.js';

/** Made on first use: TypeScript loads when a file is first parsed, not when this module is (ts-api.js). */
let printing: { printer: ts.Printer; empty: ts.SourceFile } | undefined;
const literalPrinter = () => (printing ??= { printer: ts.createPrinter({ removeComments: true }), empty: ts.createSourceFile('literal.ts', '', ts.ScriptTarget.Latest) });

/**
 * Printed literals by quote and value: a file's rewrite prints the same few specifiers over and
 * over (one per directory), and the printer costs more than the rest of an import's rewrite.
 * Bounded: cleared when full. One map per quote, keyed by the value as it is: a `quote + value`
 * key was a new string per call, flattened and hashed for each lookup.
 */
const printedSingle = new Map<string, string>();
const printedDouble = new Map<string, string>();
const CACHE_MAX = 10_000;

/** `value` as a string literal in the given quote style, escaped by the printer. */
export function stringLiteral(value: string, quote: "'" | '"' = "'"): string {
  const printed = quote === "'" ? printedSingle : printedDouble;
  const hit = printed.get(value);
  if (hit !== undefined) return hit;
  if (printed.size >= CACHE_MAX) printed.clear();
  const out = printLiteral(value, quote);
  printed.set(value, out);
  return out;
}

function printLiteral(value: string, quote: "'" | '"'): string {
  const { printer, empty } = literalPrinter();
  const printed = printer.printNode(ts.EmitHint.Unspecified, ts.factory.createStringLiteral(value, quote === "'"), empty);
  // the printer writes every non-ASCII character as \uXXXX: keep the visible ones as they are
  // (control, format, line/paragraph separators and surrogate halves stay escaped)
  return printed.replace(/\\(\\|u([0-9A-F]{4}))/g, (all, _e: string, hex: string | undefined) => {
    if (hex === undefined) return all;
    const c = String.fromCharCode(parseInt(hex, 16));
    return /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u.test(c) ? all : c;
  });
}

export class UnsafeNameError extends Error {
  readonly code = 'ERR_SSOT_UNSAFE_NAME';
}

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

/** `name` when it is an identifier (not a reserved word); throws naming `what` otherwise. */
export function identifierText(name: string, what: string): string {
  const reserved = (ts as unknown as { stringToToken(s: string): ts.SyntaxKind | undefined }).stringToToken(name);
  if (!IDENTIFIER.test(name) || (reserved !== undefined && reserved >= ts.SyntaxKind.FirstReservedWord && reserved <= ts.SyntaxKind.LastReservedWord))
    throw new UnsafeNameError(`${what}: ${JSON.stringify(name)} is not an identifier; it is not written into code`);
  return name;
}
