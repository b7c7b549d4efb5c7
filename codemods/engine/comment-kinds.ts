/**
 * What a comment is to the code around it: a tool directive, a license header or the file's own
 * doc comment (none of them documents the statement below), or the doc of the statement right
 * below it. The legacy-use comment scan protects directives and licenses (never rewritten); a new
 * import goes below the header (engine/import-place.ts); a declaration that goes takes its own
 * doc with it, never the file's header.
 */
import ts from './ts-api.js';

/** The body of a tool directive (`@ts-check`, `eslint-disable`, `/// <reference>`, `#region`…), after `//` or inside `/* *\/`. */
export const DIRECTIVE = /^(?:\/\s*<|@ts-|@jsx|@flow\b|@vite-ignore|[#@]__|[#@]\s*source(?:Mapping)?URL|#(?:end)?region\b|(?:eslint|tslint|jshint|jscs|istanbul|c8|v8|prettier-ignore|biome-ignore|deno-lint-ignore|deno-fmt-ignore|webpack\w*|globals?|exported)\b)/;
/** A license or copyright notice. */
export const LICENSE = /@license\b|@preserve\b|\bcopyright\b|\(c\)\s*\d{4}|SPDX-License-Identifier/i;
/** JSDoc tags that make a comment the file's own documentation, not its first statement's. */
const FILE_DOC = /@(?:file|fileoverview|overview|module|packageDocumentation)\b/;

/**
 * A file's shebang line (no line break), if any, and where TypeScript collects the file's leading
 * comments from: its start, or the shebang's line break (-1 when the shebang ends the file).
 */
export function fileStart(text: string): { shebang?: string; commentsFrom: number } {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('#!', bom)) return { commentsFrom: 0 };
  return { shebang: /^#![^\r\n]*/.exec(text.slice(bom))![0], commentsFrom: text.indexOf('\n', bom) };
}

/**
 * What a comment (its whole text, delimiters included) is when it is not documentation of the
 * code after it: a directive, a license header, or the file's own doc comment.
 */
export function headerKind(comment: string): 'directive' | 'license' | 'file-doc' | undefined {
  const block = comment.startsWith('/*');
  const body = (block ? comment.slice(comment.startsWith('/**') && comment !== '/**/' ? 3 : 2, -2) : comment.slice(2)).trim();
  if (DIRECTIVE.test(body)) return 'directive';
  if (comment.startsWith('/*!') || LICENSE.test(body)) return 'license';
  if (FILE_DOC.test(body)) return 'file-doc';
  return undefined;
}

/**
 * Where `node` starts with the comments that document it: the run of comments right above it,
 * none parted from the next by a blank line and none a header kind. A comment parted from it by a
 * blank line is the file's or a section's, not its own (TypeScript's JSDoc takes it all the same).
 */
export function ownDocStart(sf: ts.SourceFile, node: ts.Node): number {
  const text = sf.text;
  let start = node.getStart(sf);
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i]!;
    if (/\n[ \t]*\r?\n/.test(text.slice(r.end, start)) || headerKind(text.slice(r.pos, r.end))) break;
    start = r.pos;
  }
  return start;
}
