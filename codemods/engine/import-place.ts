/**
 * Where a codemod puts an import statement it adds: next to the file's imports when it has any
 * (after the last import declaration, else after its leading run of top-level `require()`
 * statements), else below what must stay first — a shebang, the directive prologue
 * (`'use strict'` stays first in CommonJS) and the header comments (a license, a file doc comment,
 * `// @ts-check`-like directives, any comment a blank line parts from the code) — and above the
 * doc comment of the first statement. Every phase that adds an import asks here.
 */
import { fileStart, ownDocStart } from './comment-kinds.js';
import { moduleLoadOf } from './import-forms.js';
import ts from './ts-api.js';
import type { Edit } from './types.js';

/** `const x = require('m')`, `const { a } = require('m').b`, `require('m')` as a statement (any load import-forms.ts knows). */
function isLoadStatement(st: ts.Statement): boolean {
  const loads = (e: ts.Expression | undefined): boolean => {
    while (e && ts.isPropertyAccessExpression(e)) e = e.expression;
    return e !== undefined && moduleLoadOf(e) !== undefined;
  };
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.length > 0 && st.declarationList.declarations.every((d) => loads(d.initializer));
  return ts.isExpressionStatement(st) && loads(st.expression);
}

const isPrologue = (st: ts.Statement): boolean => ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression);

/** The import-like statements a new import goes after: the import declarations, else the leading requires. */
function importLikes(sf: ts.SourceFile): ts.Statement[] {
  const decls = sf.statements.filter((st) => ts.isImportDeclaration(st) || (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)));
  if (decls.length > 0) return decls;
  const out: ts.Statement[] = [];
  for (const st of sf.statements) {
    if (isPrologue(st) && out.length === 0) continue;
    if (!isLoadStatement(st)) break;
    out.push(st);
  }
  return out;
}

const lineEndAfter = (text: string, offset: number): number => {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
};
const blankLineAt = (text: string, offset: number): RegExpExecArray | null => /^[ \t]*\r?\n/.exec(text.slice(offset));

/**
 * The start of the line a new import goes on in a file without imports: after the shebang, the
 * prologue and the header comments (followed by the blank line that closes them, if any).
 */
export function headerEnd(sf: ts.SourceFile): number {
  const text = sf.text;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const { shebang, commentsFrom } = fileStart(text);
  if (commentsFrom === -1) return text.length;
  let scanFrom = commentsFrom;
  let at = shebang === undefined ? bom : commentsFrom + 1;
  const statements = sf.statements;
  let i = 0;
  for (; i < statements.length && isPrologue(statements[i]!); i++) {
    const end = statements[i]!.end;
    const nl = text.indexOf('\n', end);
    if (nl === -1) return text.length;
    scanFrom = nl;
    at = nl + 1;
  }
  const next = statements[i];
  const ranges = ts.getLeadingCommentRanges(text, scanFrom) ?? [];
  // the comments right above the first statement document it, unless a header kind (ownDocStart)
  const docStart = next === undefined ? text.length : ownDocStart(sf, next);
  const header = ranges.filter((r) => r.end <= docStart).length;
  if (header === 0) return at;
  const end = lineEndAfter(text, ranges[header - 1]!.end);
  const blank = blankLineAt(text, end);
  return blank ? end + blank[0].length : end;
}

/**
 * The edit adding the import statement `line` (no line break) to the file: after its last
 * import, else at `headerEnd`. `sf` is the file parsed from `text` (which may start with a BOM).
 * `planned` are the edits already made to the file: an import they delete is no anchor, and
 * when they delete every one the new import takes the first one's place.
 */
export function importInsertion(sf: ts.SourceFile, line: string, eol: string, planned: readonly Edit[] = []): Edit {
  const text = sf.text;
  const imports = importLikes(sf);
  const deleted = (st: ts.Statement): Edit | undefined => planned.find((e) => e.end > e.start && e.start <= st.getStart(sf) && e.end >= st.end);
  const last = imports.filter((st) => !deleted(st)).at(-1);
  // after the comments ending the last import's line: they are about that import (an insertion
  // at its end moved `// Redis clients` of MultimediaSystemDemo's redis require onto the new one)
  if (last) {
    const at = ts.getTrailingCommentRanges(text, last.end)?.filter((r) => !text.slice(last.end, r.pos).includes('\n')).at(-1)?.end ?? last.end;
    return { start: at, end: at, text: eol + line };
  }
  const gone = imports.length > 0 ? deleted(imports[0]!) : undefined;
  if (gone) return { start: gone.start, end: gone.start, text: line + eol };
  const at = headerEnd(sf);
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // a header that ends the file without a line break
  if (at === text.length && at > bom && !text.endsWith('\n')) return { start: at, end: at, text: eol + line + eol };
  // below a header the import is a group of its own: a blank line parts it from the code, as one parts it from the header
  const after = planned.find((e) => e.start === at && e.end > at && e.text === '')?.end ?? at;
  const below = at > bom && after < text.length && !blankLineAt(text, after);
  return { start: at, end: at, text: line + eol + (below ? eol : '') };
}
