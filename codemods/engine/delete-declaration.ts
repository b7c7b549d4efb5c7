/**
 * Deleting one top-level declaration a person scheduled (`deletions[].declaration`): which
 * statements it is (a function with its overloads, a class, a variable, an interface and its
 * merged halves, a type, an enum, a namespace), the lines they span (the gates skip legacy
 * imports there while it is scheduled), and the file without it and without the imports only
 * it used. Syntax only: a use of the name elsewhere in the file refuses, naming the line.
 */
import ts from './ts-api.js';
import { applyEdits } from './edits.js';
import { removeElements } from './named-list.js';
import { parseSource } from './parse.js';
import { buildScopeIndex } from './scope.js';
import { lineColumn, lineStartOf, statementLineRange } from './text.js';
import type { Edit } from './types.js';

export type FoundDeclaration = { statements: ts.Statement[] } | { error: string } | undefined;

/** The names a top-level statement declares. */
function declaredNames(st: ts.Statement): string[] {
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : ['(destructuring)']));
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) && st.name && ts.isIdentifier(st.name)) return [st.name.text];
  return [];
}

/** The statements declaring `name` at the top level of `sf`; an error when one declares other names too. */
export function findTopLevelDeclaration(sf: ts.SourceFile, name: string): FoundDeclaration {
  const statements = sf.statements.filter((st) => declaredNames(st).includes(name));
  if (statements.length === 0) return undefined;
  const shared = statements.find((st) => declaredNames(st).length > 1);
  if (shared) return { error: `${name} is declared together with ${declaredNames(shared).filter((n) => n !== name).join(', ')} at line ${lineColumn(sf.text, shared.getStart(sf)).line}; split the statement first` };
  return { statements };
}

/**
 * 1-based line spans of the scheduled declaration and of the imports that go whole with it (for
 * the gates: both are deleted with the shim), or undefined when the file does not declare it.
 */
export function declarationLines(file: string, text: string, name: string): Array<{ from: number; to: number }> | undefined {
  const { sf } = parseSource(file, text);
  const found = findTopLevelDeclaration(sf, name);
  if (!found || 'error' in found) return undefined;
  const span = (st: ts.Statement) => ({ from: lineColumn(text, st.getStart(sf)).line, to: lineColumn(text, st.end).line });
  const imports = importsGoing(sf, found.statements).filter((i) => i.gone.length === i.bindings.length).map((i) => i.statement);
  return [...imports, ...found.statements].map(span);
}

interface GoingImport {
  statement: ts.ImportDeclaration;
  clause: ts.ImportClause;
  named: ts.NodeArray<ts.ImportSpecifier> | undefined;
  bindings: ts.Identifier[];
  /** The bindings only the declaration uses: they go with it. */
  gone: ts.Identifier[];
}

/** The imports with bindings only the declaration's statements use. */
function importsGoing(sf: ts.SourceFile, statements: readonly ts.Statement[], scope = buildScopeIndex(sf)): GoingImport[] {
  const inside = (n: ts.Node): boolean => statements.some((st) => n.pos >= st.pos && n.end <= st.end);
  const onlyInside = (id: ts.Identifier): boolean => {
    const refs = scope.references.get(id.text) ?? [];
    return (scope.declared.get(id.text)?.length ?? 0) === 1 && refs.length > 0 && refs.every(inside);
  };
  const out: GoingImport[] = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause) continue;
    const clause = st.importClause;
    const named = clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
    const ns = clause.namedBindings && ts.isNamespaceImport(clause.namedBindings) ? clause.namedBindings.name : undefined;
    const bindings = [...(clause.name ? [clause.name] : []), ...(ns ? [ns] : []), ...(named ?? []).map((e) => e.name)];
    const gone = bindings.filter(onlyInside);
    if (gone.length) out.push({ statement: st, clause, named, bindings, gone });
  }
  return out;
}

export type DeclarationDeletion = { after: string; removedImports: string[] } | { error: string } | { missing: true };

/**
 * The file without the declaration: its statements go with their comments directly above them
 * (no blank line between) and a blank line that would be left doubled or trailing; an import
 * binding only the declaration used goes too (its specifier, or the whole import).
 */
export function deleteDeclaration(file: string, text: string, name: string): DeclarationDeletion {
  const { sf, error } = parseSource(file, text);
  if (error) return { error: `${file} does not parse (${error.message})` };
  const found = findTopLevelDeclaration(sf, name);
  if (!found) return { missing: true };
  if ('error' in found) return { error: `${file}: ${found.error}` };
  const inside = (n: ts.Node): boolean => found.statements.some((st) => n.pos >= st.pos && n.end <= st.end);
  const scope = buildScopeIndex(sf);
  const outside = (scope.references.get(name) ?? []).filter((id) => !inside(id));
  if (outside.length) {
    const lines = [...new Set(outside.map((id) => lineColumn(text, id.getStart(sf)).line))];
    return { error: `${name} is still referenced in ${file} at line(s) ${lines.join(', ')}; remove those uses first, or drop the deletion` };
  }

  const edits: Edit[] = declarationRanges(text, sf, found.statements).map((r) => ({ ...r, text: '' }));
  // imports only the declaration used
  const removedImports: string[] = [];
  for (const { statement: st, clause, named, bindings, gone } of importsGoing(sf, found.statements, scope)) {
    removedImports.push(...gone.map((b) => b.text));
    if (gone.length === bindings.length) {
      edits.push({ ...statementLineRange(text, st.getStart(sf), st.end), text: '' });
      continue;
    }
    const goneNamed = new Set((named ?? []).filter((e) => gone.includes(e.name)));
    const allNamedGo = named !== undefined && goneNamed.size === named.length;
    if (clause.name && gone.includes(clause.name)) edits.push({ start: clause.name.getStart(sf), end: clause.namedBindings!.getStart(sf), text: '' });
    if (allNamedGo && clause.name && !gone.includes(clause.name)) edits.push({ start: clause.name.end, end: clause.namedBindings!.end, text: '' });
    else if (named && goneNamed.size) edits.push(...removeElements(named, goneNamed));
  }
  return { after: applyEdits(text, edits), removedImports };
}

/**
 * The statements' lines with the comment block directly above each, adjacent ones merged, and
 * one blank line that would be left doubled, leading or trailing.
 */
function declarationRanges(text: string, sf: ts.SourceFile, statements: readonly ts.Statement[]): Array<{ start: number; end: number }> {
  const merged: Array<{ start: number; end: number }> = [];
  for (const st of statements) {
    let start = st.getStart(sf);
    const comments = ts.getLeadingCommentRanges(text, st.pos) ?? [];
    for (let i = comments.length - 1; i >= 0; i--) {
      if ((text.slice(comments[i]!.end, start).match(/\n/g) ?? []).length > 1) break;
      start = comments[i]!.pos;
    }
    const r = statementLineRange(text, start, st.end);
    const prev = merged.at(-1);
    if (prev && /^\s*$/.test(text.slice(prev.end, r.start))) prev.end = r.end;
    else merged.push(r);
  }
  return merged.map((r) => withBlankLine(text, r));
}

function withBlankLine(text: string, r: { start: number; end: number }): { start: number; end: number } {
  const fileStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (r.start !== Math.max(lineStartOf(text, r.start), fileStart)) return r;
  const blankBefore = /(?:^|\n)[ \t]*\r?\n$/.exec(text.slice(fileStart, r.start));
  const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(r.end));
  const atEnd = /^\s*$/.test(text.slice(r.end));
  // a blank line above goes when the declaration was the last thing in the file, or one below follows
  if (blankBefore && (atEnd || blankAfter)) return { start: r.start - blankBefore[0].length + (blankBefore[0].startsWith('\n') ? 1 : 0), end: r.end };
  // the file's first statement followed by a blank line: that blank line goes
  if (blankAfter && r.start === fileStart) return { start: r.start, end: r.end + blankAfter[0].length };
  return r;
}
