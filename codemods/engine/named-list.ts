import ts from './ts-api.js';
import { applyEdits } from './edits.js';
import { renderBraces, type ImportStyle } from './import-style.js';
import { indentAt, lineStartOf } from './text.js';
import type { Edit } from './types.js';

/**
 * One entry of an import or export list: `name` is the module's export, `alias` the local
 * binding (imports) or the exported name (re-exports). Rendered without `X as X`.
 */
export interface NamedSpec {
  name: string;
  alias: string;
  typeOnly: boolean;
  /** A comment that followed the entry where it came from (`// why`), carried to one-per-line lists. */
  comment?: string;
}

/** The comment after an entry of a list on its own line (after its comma), as written. */
export function trailingCommentOf(el: ts.Node, text: string): string | undefined {
  let end = el.end;
  const m = /^[ \t]*,/.exec(text.slice(end));
  if (m) end += m[0].length;
  const c = ts.getTrailingCommentRanges(text, end)?.[0];
  if (!c || text.slice(end, c.pos).includes('\n')) return undefined;
  return text.slice(c.pos, c.end);
}

export function renderSpec(s: NamedSpec, typeModifier: boolean): string {
  return (typeModifier && s.typeOnly ? 'type ' : '') + (s.name === s.alias ? s.name : `${s.name} as ${s.alias}`);
}

function renderList(specs: readonly NamedSpec[]): { typeKeyword: string; entries: string[] } {
  const allType = specs.length > 0 && specs.every((s) => s.typeOnly);
  return { typeKeyword: allType ? 'type ' : '', entries: specs.map((s) => renderSpec(s, !allType)) };
}

function renderDecl(keyword: 'import' | 'export', specs: readonly NamedSpec[], quotedSpecifier: string, semi: string, style?: ImportStyle, attributes = ''): string {
  const { typeKeyword, entries } = renderList(specs);
  const head = `${keyword} ${typeKeyword}`;
  const tail = ` from ${quotedSpecifier}${attributes}${semi}`;
  return head + renderBraces(entries, style ?? DEFAULT_STYLE('\n'), '', head.length, tail.length) + tail;
}

/** A new `import { … } from …` statement in the file's style (braces spacing, width, indent, trailing comma). */
export function renderImport(specs: readonly NamedSpec[], quotedSpecifier: string, semi: string, style?: ImportStyle, attributes?: string): string {
  return renderDecl('import', specs, quotedSpecifier, semi, style, attributes);
}

export function renderExport(specs: readonly NamedSpec[], quotedSpecifier: string, semi: string, style?: ImportStyle, attributes?: string): string {
  return renderDecl('export', specs, quotedSpecifier, semi, style, attributes);
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

export type Specifier = ts.ImportSpecifier | ts.ExportSpecifier;

/** What to do to one declaration's named list; everything not mentioned stays as written. */
export interface ListRewrite {
  /** Existing entry -> its new spec, or null to delete it (commas included). */
  changes?: ReadonlyMap<Specifier, NamedSpec | null>;
  /** Entries to put first (a default import moved into the list). */
  prepend?: readonly NamedSpec[];
  /** Entries to add at the end (merged from another declaration). */
  append?: readonly NamedSpec[];
  /** The declaration's default binding (`import D, { … }`) moves into the list: delete it. */
  dropDefault?: boolean;
  /** New text of the module specifier literal (quotes included), part of the same line-width check. */
  specifier?: string;
}

const DEFAULT_STYLE = (eol: string): ImportStyle => ({ width: Number.POSITIVE_INFINITY, indent: '  ', trailingComma: true, bracketSpacing: true, eol });

interface Entry {
  spec: NamedSpec;
  el?: Specifier;
}

const key = (s: NamedSpec): string => `${s.name}\0${s.alias}`;

/**
 * Edits adding specs to an existing declaration's named list (merging rather than adding a
 * second import of the same module). Returns undefined when the declaration has no list to merge into.
 */
export function mergeInto(decl: ListDecl, specs: readonly NamedSpec[], text: string, eol: string, style?: ImportStyle): Edit[] | undefined {
  return rewriteList(decl, { append: specs }, text, style ?? DEFAULT_STYLE(eol));
}

/**
 * Edit a declaration's named list in place: rename, alias, retype or delete existing entries and
 * add new ones, touching only the entries that change. Line breaks, indentation, trailing
 * commas and comments stay as written; single-line lists grow in place, one-per-line lists get
 * one line per new entry at the same indent (after a trailing comment, not before it). A
 * single-line list without comments that would outgrow the file's width is broken one entry per
 * line, as the file's formatter would. A type-only declaration that must now carry a value
 * becomes mixed (`import { type A, B }`); a list whose entries all become types becomes
 * `import type { … }`. Returns undefined when the declaration has no list to edit.
 */
export function rewriteList(decl: ListDecl, rw: ListRewrite, text: string, style: ImportStyle): Edit[] | undefined {
  const sf = decl.getSourceFile();
  const elements = namedElements(decl);
  const clause = ts.isImportDeclaration(decl) ? decl.importClause : undefined;
  const defaultOnly = clause?.name !== undefined && clause.namedBindings === undefined;
  if (!elements && !defaultOnly) return undefined;
  const edits: Edit[] = [];
  const lit = decl.moduleSpecifier;
  if (rw.specifier !== undefined && lit) edits.push({ start: lit.getStart(sf), end: lit.end, text: rw.specifier });
  const wasTypeOnly = declIsTypeOnly(decl);
  const keyword = typeKeywordRange(decl, text);

  // the final list: prepended, kept (possibly changed), appended; duplicates folded
  const kept: Entry[] = [];
  const removed = new Set<ts.Node>();
  const seen = new Map<string, Entry>();
  const fold = (e: Entry): boolean => {
    const prev = seen.get(key(e.spec));
    if (prev) {
      if (!e.spec.typeOnly) prev.spec.typeOnly = false;
      return false;
    }
    seen.set(key(e.spec), e);
    return true;
  };
  const pre: Entry[] = [];
  for (const s of rw.prepend ?? []) {
    const e = { spec: { ...s } };
    if (fold(e)) pre.push(e);
  }
  for (const el of elements ?? []) {
    const change = rw.changes?.get(el);
    if (change === null) {
      removed.add(el);
      continue;
    }
    const e: Entry = { spec: { ...(change ?? specOf(el, wasTypeOnly)) }, el };
    if (fold(e)) kept.push(e);
    else removed.add(el);
  }
  const post: Entry[] = [];
  for (const s of rw.append ?? []) {
    const e = { spec: { ...s } };
    if (post.some((p) => p.spec.alias === s.alias)) continue;
    if (fold(e)) post.push(e);
  }
  const all = [...pre, ...kept, ...post];
  const allType = all.length > 0 && all.every((e) => e.spec.typeOnly);
  const hasDefault = clause?.name !== undefined && !rw.dropDefault;
  // type modifiers: on the keyword, or per entry
  let perEntry = !wasTypeOnly || !allType;
  if (wasTypeOnly && !allType) edits.push({ start: keyword.start, end: keyword.end, text: '' });
  const anyNew = pre.length + post.length > 0 || kept.some((e) => e.spec.typeOnly && !e.el!.isTypeOnly);
  if (!wasTypeOnly && allType && !hasDefault && anyNew && kept.every((e) => !e.el!.isTypeOnly)) {
    edits.push({ start: keyword.start, end: keyword.start, text: ' type' });
    perEntry = false;
  }
  const typeMod = perEntry;
  const render = (e: Entry): string => renderSpec(e.spec, typeMod);

  if (rw.dropDefault && clause?.name && clause.namedBindings) edits.push({ start: clause.name.getStart(sf), end: clause.namedBindings.getStart(sf), text: '' });

  if (!elements || kept.length === 0) {
    // nothing of the old list survives: write the list anew
    const list = all.map(render);
    if (!elements) {
      if (list.length === 0) return edits;
      const name = clause!.name!;
      if (rw.dropDefault) {
        const ls = lineStartOf(text, decl.getStart(sf));
        const braces = renderBraces(list, style, indentAt(text, decl.getStart(sf)), name.getStart(sf) - ls, lineEndOf(text, decl.end) - name.end);
        edits.push({ start: name.getStart(sf), end: name.end, text: braces });
      } else edits.push({ start: name.end, end: name.end, text: `, ${renderBraces(list, style, '', 0, 0)}` });
      return edits;
    }
    const nb = elements.length > 0 ? elements[0]!.parent : undefined;
    const open = nb ? nb.getStart(sf) : text.indexOf('{', decl.getStart(sf));
    const close = nb ? nb.end : text.indexOf('}', open) + 1;
    const ls = lineStartOf(text, decl.getStart(sf));
    edits.push({ start: open, end: close, text: renderBraces(list, style, indentAt(text, decl.getStart(sf)), open - ls, lineEndOf(text, decl.end) - close) });
    return edits;
  }

  // entries that stay: retype and rename in place
  for (const e of kept) {
    const el = e.el!;
    const want = e.spec.typeOnly && typeMod;
    const nameStart = (el.propertyName ?? el.name).getStart(sf);
    if (want && !el.isTypeOnly) edits.push({ start: el.getStart(sf), end: el.getStart(sf), text: 'type ' });
    else if (!want && el.isTypeOnly) edits.push({ start: el.getStart(sf), end: nameStart, text: '' });
    edits.push(...renameEdits(el, e.spec, sf));
  }
  edits.push(...removeElements(elements, removed));

  const list = elements[0]!.parent;
  const open = list.getStart(sf);
  const first = elements[0]!;
  const last = elements[elements.length - 1]!;
  const multiline = text.slice(open, first.getStart(sf)).includes('\n');
  const eol = style.eol;
  if (pre.length > 0) {
    if (multiline) {
      const ind = indentAt(text, first.getStart(sf));
      edits.push({ start: open + 1, end: open + 1, text: pre.map((e) => `${eol}${ind}${render(e)},`).join('') });
    } else {
      const firstKept = kept[0]!.el!;
      edits.push({ start: firstKept.getStart(sf), end: firstKept.getStart(sf), text: pre.map((e) => `${render(e)}, `).join('') });
    }
  }
  if (post.length > 0) {
    const trailing = /^\s*,/.test(text.slice(last.end, list.end));
    const lineEnd = lineEndOf(text, last.end);
    const closeOnLine = text.slice(last.end, lineEnd).includes('}');
    if (multiline && !closeOnLine) {
      const ind = indentAt(text, last.getStart(sf));
      if (!trailing) edits.push({ start: last.end, end: last.end, text: ',' });
      const line = (e: Entry, i: number): string => `${eol}${ind}${render(e)}${i < post.length - 1 || trailing ? ',' : ''}${e.spec.comment ? ` ${e.spec.comment}` : ''}`;
      edits.push({ start: lineEnd, end: lineEnd, text: post.map(line).join('') });
    } else {
      const sep = multiline ? `,${eol}${indentAt(text, last.getStart(sf))}` : ', ';
      let added = '';
      for (const e of post) added += sep + render(e);
      edits.push({ start: last.end, end: last.end, text: added });
    }
  }

  // a single-line list without comments that outgrows the width is broken one entry per line
  const declStart = decl.getStart(sf);
  if (!text.slice(declStart, decl.end).includes('\n') && !/\/[/*]/.test(text.slice(open, list.end)) && style.width !== Number.POSITIVE_INFINITY) {
    const ls = lineStartOf(text, declStart);
    const le = lineEndOf(text, decl.end);
    const inLine = edits.filter((e) => e.start >= ls && e.end <= le);
    const after = applyEdits(text.slice(ls, le), inLine.map((e) => ({ start: e.start - ls, end: e.end - ls, text: e.text })));
    if (inLine.some((e) => e.text !== text.slice(e.start, e.end)) && after.length > style.width) {
      const outside = edits.filter((e) => e.end <= open || e.start >= list.end);
      const prefix = open - ls + outside.filter((e) => e.end <= open).reduce((n, e) => n + e.text.length - (e.end - e.start), 0);
      const braces = renderBraces(all.map(render), style, indentAt(text, declStart), prefix, le - list.end);
      return [...outside, { start: open, end: list.end, text: braces }];
    }
  }
  return edits;
}

function specOf(el: Specifier, declTypeOnly: boolean): NamedSpec {
  return { name: (el.propertyName ?? el.name).text, alias: el.name.text, typeOnly: declTypeOnly || el.isTypeOnly };
}

/** The splices turning `A` / `A as B` into the spec's `name as alias`, leaving what does not change. */
function renameEdits(el: Specifier, spec: NamedSpec, sf: ts.SourceFile): Edit[] {
  const prop = el.propertyName;
  const name = el.name;
  const { name: n, alias: a } = spec;
  const span = (node: ts.Node, t: string): Edit => ({ start: node.getStart(sf), end: node.end, text: t });
  if (prop) {
    if (n === a) return name.text === a ? [{ start: prop.getStart(sf), end: name.getStart(sf), text: '' }] : [{ start: prop.getStart(sf), end: name.end, text: a }];
    const out: Edit[] = [];
    if (prop.text !== n) out.push(span(prop, n));
    if (name.text !== a) out.push(span(name, a));
    return out;
  }
  if (n === a) return name.text === a ? [] : [span(name, a)];
  if (name.text === a) return [{ start: name.getStart(sf), end: name.getStart(sf), text: `${n} as ` }];
  if (name.text === n) return [{ start: name.end, end: name.end, text: ` as ${a}` }];
  return [span(name, `${n} as ${a}`)];
}

/** Edits turning the `X as X` entries of a list (other than `skip`) into `X`: the self-alias says nothing. */
export function collapseSelfAliases(elements: ts.NodeArray<Specifier>, skip: ReadonlySet<ts.Node> = new Set()): Edit[] {
  const out: Edit[] = [];
  for (const el of elements)
    if (!skip.has(el) && el.propertyName && ts.isIdentifier(el.propertyName) && el.propertyName.text === el.name.text)
      out.push({ start: el.propertyName.getStart(), end: el.name.getStart(), text: '' });
  return out;
}

/** Offset of the end of the line holding offset (before its CR LF / LF). */
function lineEndOf(text: string, offset: number): number {
  let nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  if (text[nl - 1] === '\r') nl--;
  return nl;
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
