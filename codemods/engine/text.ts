/** Byte-preserving text helpers: line endings, BOM, positions. */

export const BOM = '\uFEFF';

/** The file's dominant line ending, so inserted lines match the ones around them. */
export function detectEol(text: string): '\r\n' | '\n' {
  const crlf = text.indexOf('\r\n');
  if (crlf === -1) return '\n';
  const lf = text.indexOf('\n');
  return lf === crlf + 1 ? '\r\n' : '\n';
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the start of the line holding offset. */
export function lineStartOf(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return nl + 1;
}

/** Leading whitespace of the line holding offset. */
export function indentAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  const m = /^[ \t]*/.exec(text.slice(start, offset));
  return m ? m[0] : '';
}

/**
 * The range that deletes a whole statement [start, end) together with its line when the
 * statement is alone on it, so no blank line is left behind; otherwise just the statement.
 */
export function statementLineRange(text: string, start: number, end: number): { start: number; end: number } {
  // a `;` opening a later line ends this statement to the parser but guards the next one in code
  // written without semicolons (`const m = a\n;(async () => …)()`): it stays, or the next line
  // would call the one before
  if (text[end - 1] === ';') {
    const semiLine = lineStartOf(text, end - 1);
    if (semiLine > start && /^[ \t]*$/.test(text.slice(semiLine, end - 1))) end = semiLine - (text[semiLine - 2] === '\r' ? 2 : 1);
  }
  // a BOM stays where it is: the first line starts after it
  const ls = Math.max(lineStartOf(text, start), text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const before = text.slice(ls, start);
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  const onlyWsBefore = /^[ \t]*$/.test(before);
  // a comment ending the statement's line is about it and goes with it: left behind it would be a
  // stray line, or say what the deleted statement did (w39011651/MultimediaSystemDemo's
  // `const ClientManager = require('./managers/ClientManager'); // <what the manager does>`)
  if (onlyWsBefore) {
    const trailing = /^(?:\/\/[^\r\n]*|\/\*(?:(?!\*\/)[^\r\n])*\*\/[ \t]*)(?=\r?\n|$)/.exec(text.slice(e));
    if (trailing) e += trailing[0].length;
  }
  if (onlyWsBefore && (text.startsWith('\r\n', e) || text[e] === '\n')) {
    return { start: directiveAbove(text, ls), end: e + (text[e] === '\r' ? 2 : 1) };
  }
  if (onlyWsBefore && e >= text.length) return { start: directiveAbove(text, ls), end: e };
  return { start, end };
}

/**
 * A `// @ts-ignore` / `// @ts-expect-error` line right above a deleted line goes with it: left
 * behind, it would silence (or fail on) whatever line comes next.
 */
function directiveAbove(text: string, lineStart: number): number {
  if (lineStart === 0) return lineStart;
  const prevStart = Math.max(lineStartOf(text, lineStart - 1), text.charCodeAt(0) === 0xfeff ? 1 : 0);
  return /^[ \t]*\/\/[ \t]*@ts-(ignore|expect-error)\b[^\n]*\n$/.test(text.slice(prevStart, lineStart)) ? prevStart : lineStart;
}

/**
 * A deleted statement's line range (statementLineRange) that also takes the blank line after it
 * when a blank line (or the file's start) is right above it: a statement set apart by blank lines
 * on both sides leaves one blank line, not two.
 */
export function lineRangeKeepingOneBlank(text: string, range: { start: number; end: number }): { start: number; end: number } {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // the first line of a file with a BOM starts after it
  if ((range.start !== lineStartOf(text, range.start) && range.start !== bom) || (range.end < text.length && range.end !== lineStartOf(text, range.end))) return range;
  const prevStart = range.start > bom ? Math.max(lineStartOf(text, range.start - 1), bom) : undefined;
  const blankAbove = prevStart === undefined || /^[ \t]*\r?\n$/.test(text.slice(prevStart, range.start));
  const next = /^[ \t]*\r?\n/.exec(text.slice(range.end));
  return blankAbove && next ? { start: range.start, end: range.end + next[0].length } : range;
}

/** `text` with every RegExp metacharacter escaped (`$` of identifiers included). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A conservative word search for an identifier (or `ns.member` path): a match not inside a longer
 * identifier. `\b` fails here, since `$` is no word character (`\b$t\b` never matches `$t(…)`).
 */
export function identifierPattern(name: string, flags?: string): RegExp {
  return new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`, flags);
}
