import ts from './ts-api.js';
import { indentAt } from './text.js';
import type { Edit } from './types.js';

/**
 * One entry of an import or export list: `name` is the module's export, `alias` the local
 * binding (imports) or the exported name (re-exports). Rendered without `X as X`.
 */
export interface NamedSpec {
  name: string;
  alias: string;
  typeOnly: boolean;
}

export function renderSpec(s: NamedSpec, typeModifier: boolean): string {
  return (typeModifier && s.typeOnly ? 'type ' : '') + (s.name === s.alias ? s.name : `${s.name} as ${s.alias}`);
}

function renderList(specs: readonly NamedSpec[]): { typeKeyword: string; body: string } {
  const allType = specs.length > 0 && specs.every((s) => s.typeOnly);
  return { typeKeyword: allType ? 'type ' : '', body: specs.map((s) => renderSpec(s, !allType)).join(', ') };
}

export function renderImport(specs: readonly NamedSpec[], quotedSpecifier: string, semi: string): string {
  const { typeKeyword, body } = renderList(specs);
  return `import ${typeKeyword}{ ${body} } from ${quotedSpecifier}${semi}`;
}

export function renderExport(specs: readonly NamedSpec[], quotedSpecifier: string, semi: string): string {
  const { typeKeyword, body } = renderList(specs);
  return `export ${typeKeyword}{ ${body} } from ${quotedSpecifier}${semi}`;
}

type ListDecl = ts.ImportDeclaration | ts.ExportDeclaration;

/** The named list of a declaration, if it has one that can take more entries. */
export function namedElements(decl: ListDecl): ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier> | undefined {
  if (ts.isImportDeclaration(decl)) {
    const nb = decl.importClause?.namedBindings;
    return nb && ts.isNamedImports(nb) ? nb.elements : undefined;
  }
  return decl.exportClause && ts.isNamedExports(decl.exportClause) ? decl.exportClause.elements : undefined;
}

function declIsTypeOnly(decl: ListDecl): boolean {
  return ts.isImportDeclaration(decl) ? decl.importClause?.isTypeOnly === true : decl.isTypeOnly;
}

/** Start of the `type` keyword of `import type {` / `export type {`. */
function typeKeywordRange(decl: ListDecl, text: string): { start: number; end: number } {
  const from = decl.getStart() + (ts.isImportDeclaration(decl) ? 'import'.length : 'export'.length);
  const m = /^\s*type\s+/.exec(text.slice(from));
  const start = from + (m ? m[0].indexOf('type') : 0);
  return { start, end: from + (m ? m[0].length : 0) };
}

/**
 * Edits adding specs to an existing declaration's named list (merging rather than adding a
 * second import of the same module). Keeps the list's own layout: single-line lists grow in
 * place, one-per-line lists get one line per new entry at the same indent. A type-only
 * declaration that must now carry a value becomes mixed (`import { type A, B }`).
 * Returns undefined when the declaration has no list to merge into.
 */
export function mergeInto(decl: ListDecl, specs: readonly NamedSpec[], text: string, eol: string): Edit[] | undefined {
  const elements = namedElements(decl);
  const defaultOnly = ts.isImportDeclaration(decl) && decl.importClause?.name !== undefined && decl.importClause.namedBindings === undefined;
  if (!elements && !defaultOnly) return undefined;
  const edits: Edit[] = [];
  const existing = new Map<string, ts.ImportSpecifier | ts.ExportSpecifier>();
  for (const el of elements ?? []) existing.set(el.name.text, el);
  const wasTypeOnly = declIsTypeOnly(decl);
  const adds: NamedSpec[] = [];
  const upgrades: Array<ts.ImportSpecifier | ts.ExportSpecifier> = [];
  for (const s of specs) {
    const el = existing.get(s.alias);
    if (el && (el.propertyName ?? el.name).text === s.name) {
      if (!s.typeOnly && (wasTypeOnly || el.isTypeOnly)) upgrades.push(el);
      continue;
    }
    if (adds.some((a) => a.alias === s.alias)) continue;
    adds.push(s);
  }
  const needsValue = adds.some((s) => !s.typeOnly) || upgrades.length > 0;
  const becomesMixed = wasTypeOnly && needsValue;
  if (becomesMixed) {
    const r = typeKeywordRange(decl, text);
    edits.push({ start: r.start, end: r.end, text: '' });
    for (const el of elements ?? []) if (!upgrades.includes(el)) edits.push({ start: el.getStart(), end: el.getStart(), text: 'type ' });
  } else {
    for (const el of upgrades) {
      const nameStart = (el.propertyName ?? el.name).getStart();
      edits.push({ start: el.getStart(), end: nameStart, text: '' });
    }
  }
  if (adds.length === 0) return edits;
  const typeModifier = !wasTypeOnly || becomesMixed;
  const rendered = adds.map((s) => renderSpec(s, typeModifier));
  if (!elements) {
    const clause = (decl as ts.ImportDeclaration).importClause!;
    edits.push({ start: clause.name!.end, end: clause.name!.end, text: `, { ${rendered.join(', ')} }` });
    return edits;
  }
  const last = elements[elements.length - 1];
  if (last === undefined) {
    const open = text.indexOf('{', (decl as ts.Node).getStart());
    edits.push({ start: open + 1, end: open + 1, text: ` ${rendered.join(', ')} ` });
    return edits;
  }
  const first = elements[0]!;
  const multiline = text.slice(text.lastIndexOf('{', first.getStart()), first.getStart()).includes('\n');
  const sep = multiline ? `,${eol}${indentAt(text, last.getStart())}` : ', ';
  edits.push({ start: last.end, end: last.end, text: rendered.map((r) => sep + r).join('') });
  return edits;
}

/**
 * Edits deleting some entries of a named list, commas included, keeping the rest exactly as
 * written. Callers remove the whole declaration instead when nothing would remain.
 */
export function removeElements(elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>, remove: ReadonlySet<ts.Node>): Edit[] {
  const edits: Edit[] = [];
  let lastKept = -1;
  for (let i = 0; i < elements.length; i++) if (!remove.has(elements[i]!)) lastKept = i;
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]!;
    if (!remove.has(el)) continue;
    if (i < lastKept) edits.push({ start: el.getStart(), end: elements[i + 1]!.getStart(), text: '' });
  }
  if (lastKept >= 0 && lastKept < elements.length - 1) {
    edits.push({ start: elements[lastKept]!.end, end: elements[elements.length - 1]!.end, text: '' });
  }
  return edits;
}
