/**
 * Comments that are not prose about the code below them: tool directives and license headers.
 * The legacy-use comment scan protects them (never rewritten); a new import goes below them.
 */

/** The body of a tool directive (`@ts-check`, `eslint-disable`, `/// <reference>`, `#region`…), after `//` or inside `/* *\/`. */
export const DIRECTIVE = /^(?:\/\s*<|@ts-|@jsx|@flow\b|@vite-ignore|[#@]__|[#@]\s*source(?:Mapping)?URL|#(?:end)?region\b|(?:eslint|tslint|jshint|jscs|istanbul|c8|v8|prettier-ignore|biome-ignore|deno-lint-ignore|deno-fmt-ignore|webpack\w*|globals?|exported)\b)/;
/** A license or copyright notice. */
export const LICENSE = /@license\b|@preserve\b|\bcopyright\b|\(c\)\s*\d{4}|SPDX-License-Identifier/i;
/** JSDoc tags that make a comment the file's own documentation, not its first statement's. */
const FILE_DOC = /@(?:file|fileoverview|overview|module|packageDocumentation)\b/;

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
