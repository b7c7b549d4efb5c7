/**
 * The comments of a source file as units a person reads: a JSDoc or block comment, or a run of
 * `//` lines on consecutive lines (one paragraph), or a comment at the end of a code line. Found
 * through the parser's trivia (never inside a string or template literal). Tool directives
 * (`@ts-expect-error`, `eslint-disable`, `/// <reference>`…) and license headers are protected:
 * reported, never edited.
 */
import { DIRECTIVE, LICENSE } from '../engine/comment-kinds.js';
import ts from '../engine/ts-api.js';

export interface CommentLine {
  /** The prose of this physical line, in file offsets (after `//`, `/**`, ` * `; before `*\/`). */
  start: number;
  end: number;
  /** The physical line, from its first character to after its line break (or the text's end). */
  lineStart: number;
  lineEnd: number;
}

export interface CommentUnit {
  start: number;
  end: number;
  kind: 'line' | 'block';
  /** Only whitespace before it on its first line and after it on its last. */
  ownLine: boolean;
  protected?: 'directive' | 'license';
  /** Length of the opener (`//`, `/*`, `/**`). */
  opener: number;
  lines: CommentLine[];
}

/** Every comment range of the file, once each, in order. */
function commentRanges(sf: ts.SourceFile, text: string): ts.CommentRange[] {
  const seen = new Map<number, ts.CommentRange>();
  const add = (ranges: ts.CommentRange[] | undefined) => ranges?.forEach((r) => seen.set(r.pos, r));
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    if (node.kind === ts.SyntaxKind.JsxText || node.kind === ts.SyntaxKind.JsxTextAllWhiteSpaces) return;
    const children = node.kind < ts.SyntaxKind.FirstNode ? [] : node.getChildren(sf);
    if (children.length === 0) {
      // a token's trivia: comments after a line break (leading) and on the previous token's line (trailing)
      add(ts.getLeadingCommentRanges(text, node.pos));
      add(ts.getTrailingCommentRanges(text, node.pos));
      return;
    }
    for (const c of children) visit(c);
  };
  visit(sf);
  return [...seen.values()].sort((a, b) => a.pos - b.pos);
}

const lineStartAt = (text: string, offset: number): number => {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  return ls === 0 && text.charCodeAt(0) === 0xfeff ? 1 : ls;
};
const lineEndAt = (text: string, offset: number): number => {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
};
const contentEnd = (text: string, from: number, to: number): number => {
  let e = to;
  while (e > from && /\s/.test(text[e - 1]!)) e--;
  return e;
};
const skipBlank = (text: string, from: number, to: number): number => {
  let s = from;
  while (s < to && (text[s] === ' ' || text[s] === '\t')) s++;
  return s;
};

function lineComment(text: string, r: ts.CommentRange): CommentLine {
  const start = skipBlank(text, r.pos + 2, r.end);
  return { start, end: contentEnd(text, start, r.end), lineStart: lineStartAt(text, r.pos), lineEnd: lineEndAt(text, r.end) };
}

function blockLines(text: string, r: ts.CommentRange, opener: number): CommentLine[] {
  const out: CommentLine[] = [];
  const bodyEnd = r.end - 2;
  let from = r.pos + opener;
  for (let first = true; ; first = false) {
    const nl = text.indexOf('\n', from);
    const to = nl === -1 || nl >= bodyEnd ? bodyEnd : nl;
    let s = skipBlank(text, from, to);
    if (!first && text[s] === '*') s = skipBlank(text, s + 1, to);
    out.push({ start: s, end: contentEnd(text, s, to), lineStart: lineStartAt(text, first ? r.pos : from), lineEnd: to === bodyEnd ? lineEndAt(text, r.end) : to + 1 });
    if (to === bodyEnd) break;
    from = to + 1;
  }
  return out;
}

/** The comment units of a parsed file, in order. */
export function commentUnits(sf: ts.SourceFile, text: string): CommentUnit[] {
  const units: CommentUnit[] = [];
  const onlyBlank = (a: number, b: number) => /^[ \t\uFEFF]*$/.test(text.slice(a, b));
  for (const r of commentRanges(sf, text)) {
    const ownLine = onlyBlank(lineStartAt(text, r.pos), r.pos) && /^[ \t]*(?:\r?\n|$)/.test(text.slice(r.end));
    if (r.kind === ts.SyntaxKind.SingleLineCommentTrivia) {
      const body = text.slice(r.pos + 2, r.end).trim();
      const directive = DIRECTIVE.test(body);
      const line = lineComment(text, r);
      const prev = units.at(-1);
      // a run of own-line `//` comments on consecutive lines is one paragraph
      if (prev && prev.kind === 'line' && prev.ownLine && ownLine && !directive && !prev.protected && /^[ \t]*\r?\n[ \t]*$/.test(text.slice(prev.end, r.pos))) {
        prev.end = r.end;
        prev.lines.push(line);
        if (LICENSE.test(body)) prev.protected = 'license';
        continue;
      }
      units.push({ start: r.pos, end: r.end, kind: 'line', ownLine, opener: 2, lines: [line], ...(directive ? { protected: 'directive' as const } : LICENSE.test(body) ? { protected: 'license' as const } : {}) });
    } else {
      const raw = text.slice(r.pos, r.end);
      const opener = raw.startsWith('/**') && raw !== '/**/' ? 3 : 2;
      const body = raw.slice(opener, -2).trim();
      const prot = DIRECTIVE.test(body) ? 'directive' : raw.startsWith('/*!') || LICENSE.test(body) ? 'license' : undefined;
      units.push({ start: r.pos, end: r.end, kind: 'block', ownLine, opener, lines: blockLines(text, r, opener), ...(prot ? { protected: prot } : {}) });
    }
  }
  return units;
}
