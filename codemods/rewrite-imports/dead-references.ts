/**
 * Dead references to legacy modules, removed so they do not hold remove-shim's gate.
 *
 * Loads nothing reads: `const x = await import('<legacy>')` / `require('<legacy>')` (a name or a
 * destructuring) whose bindings the file never uses, and bindings of a static `import … from
 * '<legacy>'` that nothing in the file names (a name the file declares again and uses keeps it: the
 * scope index is syntax only). The compiler elides such an import already, so removing it changes
 * nothing but the gate; a side-effect `import '<legacy>'` is a load someone wrote and stays.
 *
 * Re-exports of legacy names that nothing reads: `export { X } from '<legacy>'`, and `export { x }`
 * of a binding imported from a legacy module, in a file that stays. Once every user has moved to
 * the canonical module they are all that keeps a legacy module imported (remove-shim's gate), and
 * the symbol map often has no canonical name for them (a test hook, a constant, an adapter). An
 * exported name that no file in the repo imports from that file (in any form: a namespace import
 * or `export *` of the file counts as using every name) and that the manifest's `publicApi` does
 * not list is removed, with a local import left with no other use. Syntax only, on the texts as
 * they stand; a file that does not parse is left byte-identical.
 */
import type { PublicApiSpec } from '../../manifest/types.js';
import { applyEdits } from '../engine/edits.js';
import { moduleLoadOf, moduleReferences, referenceSites } from '../engine/import-forms.js';
import { moduleIdOf, normalizeId, withoutIndex } from '../engine/module-id.js';
import { removeElements } from '../engine/named-list.js';
import { parseSource } from '../engine/parse.js';
import type { ModuleResolver, ResolverData } from '../engine/resolve.js';
import { buildScopeIndex } from '../engine/scope.js';
import { statementLineRange } from '../engine/text.js';
import ts from '../engine/ts-api.js';
import type { Edit } from '../engine/types.js';
import { reachTokens } from '../legacy-use/imports.js';

export interface DeadReferenceInput {
  /** Every source file of the repo (repo-relative): where importers are looked for. */
  files: readonly string[];
  /** The files that may change (not the legacy modules or their frozen copies). */
  editable: (file: string) => boolean;
  read: (file: string) => string | undefined;
  resolver: ModuleResolver;
  resolverData: ResolverData;
  /** The legacy modules (adapter and factory modules included) as the resolver names them. */
  legacy: ReadonlySet<string>;
  publicApi: readonly PublicApiSpec[];
}

export interface DeadReferenceChange {
  file: string;
  before: string;
  after: string;
  /** The exported names removed. */
  removed: string[];
  /** Unused loads of legacy modules removed (their specifiers). */
  loads: string[];
  /** Import bindings of legacy modules that nothing named, removed (`name from specifier`). */
  imports: string[];
}

/** A static import of a legacy module and the bindings of it nothing in the file names. */
interface UnusedImport {
  st: ts.ImportDeclaration;
  names: string[];
}

interface Candidate {
  /** The exported name. */
  name: string;
  el: ts.ExportSpecifier;
  /** For `export { x }`: the local binding, imported from a legacy module. */
  local?: string;
}

export function removeDeadReferences(input: DeadReferenceInput): DeadReferenceChange[] {
  const { files, read, resolver } = input;
  const legacyTokens = reachTokens(input.legacy, resolver, input.resolverData);
  const found = new Map<string, { text: string; sf: ts.SourceFile; cands: Candidate[]; loads: ts.VariableStatement[]; imports: UnusedImport[] }>();
  for (const file of files) {
    if (!input.editable(file)) continue;
    const text = read(file);
    if (text === undefined || !/export|import\(|require\(/.test(text) || !legacyTokens.some((t) => text.includes(t))) continue;
    const { sf, error } = parseSource(file, text);
    if (error) continue;
    const cands = candidates(file, sf, resolver, input.legacy).filter((c) => !isPublic(file, c.name, input.publicApi));
    const loads = unusedLoads(file, sf, resolver, input.legacy);
    const imports = unusedImports(file, sf, resolver, input.legacy);
    if (cands.length || loads.length || imports.length) found.set(file, { text, sf, cands, loads, imports });
  }
  if (found.size === 0) return [];

  // which names of the candidate files anyone imports ('*': all of them)
  const ids = new Map([...found].filter(([, f]) => f.cands.length).map(([f]) => [moduleIdOf(f), f]));
  const used = new Map<string, Set<string>>();
  const tokens = reachTokens(ids.keys(), resolver, input.resolverData);
  for (const file of files) {
    const text = read(file);
    if (text === undefined || !tokens.some((t) => text.includes(t))) continue;
    const { sf } = parseSource(file, text);
    for (const ref of moduleReferences(sf)) {
      const target = ids.get(resolver.resolve(ref.specifier, file) ?? '');
      if (target === undefined || target === file) continue;
      const names = used.get(target) ?? used.set(target, new Set()).get(target)!;
      for (const site of referenceSites(ref)) names.add(site.name ?? '*');
    }
  }

  const out: DeadReferenceChange[] = [];
  for (const [file, { text, sf, cands, loads, imports }] of found) {
    const names = used.get(file) ?? new Set<string>();
    const dead = names.has('*') ? [] : cands.filter((c) => !names.has(c.name));
    if (dead.length === 0 && loads.length === 0 && imports.length === 0) continue;
    const after = applyEdits(text, removalEdits(text, sf, dead, loads, imports));
    const specifiers = loads.map((st) => moduleLoadOf(st.declarationList.declarations[0]!.initializer!)!.text);
    const unusedNames = imports.flatMap((u) => u.names.map((n) => `${n} from ${(u.st.moduleSpecifier as ts.StringLiteral).text}`));
    if (after !== text) out.push({ file, before: text, after, removed: dead.map((c) => c.name), loads: specifiers, imports: unusedNames });
  }
  return out;
}

function candidates(file: string, sf: ts.SourceFile, resolver: ModuleResolver, legacy: ReadonlySet<string>): Candidate[] {
  const fromLegacy = (spec: ts.Expression): boolean => ts.isStringLiteralLike(spec) && legacy.has(resolver.resolve(spec.text, file) ?? '');
  // local names bound by an import of a legacy module
  const imported = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause || !fromLegacy(st.moduleSpecifier)) continue;
    const { name, namedBindings: nb } = st.importClause;
    if (name) imported.add(name.text);
    if (nb && ts.isNamespaceImport(nb)) imported.add(nb.name.text);
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) imported.add(el.name.text);
  }
  const out: Candidate[] = [];
  for (const st of sf.statements) {
    if (!ts.isExportDeclaration(st) || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
    if (st.moduleSpecifier) {
      if (fromLegacy(st.moduleSpecifier)) for (const el of st.exportClause.elements) out.push({ name: el.name.text, el });
      continue;
    }
    for (const el of st.exportClause.elements) {
      const local = (el.propertyName ?? el.name).text;
      if (imported.has(local)) out.push({ name: el.name.text, el, local });
    }
  }
  return out;
}

/** `const x = await import(L)` / `const { a } = require(L)` of a legacy module, none of whose names the file uses. */
function unusedLoads(file: string, sf: ts.SourceFile, resolver: ModuleResolver, legacy: ReadonlySet<string>): ts.VariableStatement[] {
  const scope = buildScopeIndex(sf);
  const out: ts.VariableStatement[] = [];
  const visit = (n: ts.Node): void => {
    const d = ts.isVariableStatement(n) && n.declarationList.declarations.length === 1 ? n.declarationList.declarations[0]! : undefined;
    const lit = d?.initializer && moduleLoadOf(d.initializer);
    if (d && lit && legacy.has(resolver.resolve(lit.text, file) ?? '')) {
      const names = ts.isIdentifier(d.name) ? [d.name] : ts.isObjectBindingPattern(d.name) && d.name.elements.every((e) => ts.isIdentifier(e.name)) ? d.name.elements.map((e) => e.name as ts.Identifier) : undefined;
      if (names?.every((id) => (scope.references.get(id.text) ?? []).length === 0)) out.push(n as ts.VariableStatement);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Bindings of `import … from L` (L legacy) that no identifier of the file names. */
function unusedImports(file: string, sf: ts.SourceFile, resolver: ModuleResolver, legacy: ReadonlySet<string>): UnusedImport[] {
  let scope: ReturnType<typeof buildScopeIndex> | undefined;
  const out: UnusedImport[] = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause || !ts.isStringLiteral(st.moduleSpecifier) || !legacy.has(resolver.resolve(st.moduleSpecifier.text, file) ?? '')) continue;
    scope ??= buildScopeIndex(sf);
    const names = boundNames(st.importClause).filter((n) => (scope!.references.get(n) ?? []).length === 0);
    if (names.length) out.push({ st, names });
  }
  return out;
}

function boundNames(clause: ts.ImportClause): string[] {
  const nb = clause.namedBindings;
  return [...(clause.name ? [clause.name.text] : []), ...(nb && ts.isNamespaceImport(nb) ? [nb.name.text] : []), ...(nb && ts.isNamedImports(nb) ? nb.elements.map((e) => e.name.text) : [])];
}

function isPublic(file: string, name: string, publicApi: readonly PublicApiSpec[]): boolean {
  const mod = withoutIndex(moduleIdOf(file));
  return publicApi.some((p) => withoutIndex(normalizeId(p.module)) === mod && (!p.exports || p.exports.includes(name)));
}

/** The dead export specifiers out (a whole statement when none is left), and imports left unused. */
function removalEdits(text: string, sf: ts.SourceFile, dead: readonly Candidate[], loads: readonly ts.VariableStatement[], imports: readonly UnusedImport[]): Edit[] {
  const edits: Edit[] = [];
  const lines: Array<{ start: number; end: number }> = loads.map((st) => statementLineRange(text, st.getStart(), st.end));
  const gone = new Set<ts.Node>(dead.map((c) => c.el));
  const removeFrom = (st: ts.Statement, elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>, drop: ReadonlySet<ts.Node>, whole: boolean): void => {
    if (whole) lines.push(statementLineRange(text, st.getStart(), st.end));
    else edits.push(...removeElements(elements, drop));
  };
  for (const st of sf.statements) {
    if (!ts.isExportDeclaration(st) || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
    const els = st.exportClause.elements;
    const drop = new Set(els.filter((e) => gone.has(e)));
    if (drop.size) removeFrom(st, els, drop, drop.size === els.length);
  }
  // a local binding whose only uses were the removed exports: its import goes too
  const scope = buildScopeIndex(sf);
  const inGone = (n: ts.Node): boolean => [...gone].some((g) => n.getStart() >= g.getStart() && n.end <= g.end);
  const unused = new Set(dead.filter((c) => c.local !== undefined && (scope.references.get(c.local) ?? []).every(inGone)).map((c) => c.local!));
  const unusedOf = new Map(imports.map((u) => [u.st as ts.Statement, new Set(u.names)]));
  for (const st of unused.size || unusedOf.size ? sf.statements : []) {
    if (!ts.isImportDeclaration(st) || !st.importClause) continue;
    const { name, namedBindings: nb } = st.importClause;
    const bound = boundNames(st.importClause);
    const never = unusedOf.get(st);
    const drop = bound.filter((b) => unused.has(b) || never?.has(b));
    if (drop.length === 0) continue;
    if (drop.length === bound.length) removeFrom(st, ts.factory.createNodeArray(), new Set(), true);
    else if (nb && ts.isNamedImports(nb) && (!name || !drop.includes(name.text))) removeFrom(st, nb.elements, new Set(nb.elements.filter((e) => drop.includes(e.name.text))), false);
    // a default binding beside kept named ones stays (rare; the import rewrite handles it)
  }
  return [...edits, ...wholeLines(text, lines)];
}

/** Removed statement lines, adjacent ones merged; a run between two blank lines takes one of them along. */
function wholeLines(text: string, lines: ReadonlyArray<{ start: number; end: number }>): Edit[] {
  const runs: Array<{ start: number; end: number }> = [];
  for (const r of [...lines].sort((a, b) => a.start - b.start)) {
    const last = runs[runs.length - 1];
    if (last && last.end === r.start) last.end = r.end;
    else runs.push({ ...r });
  }
  return runs.map((r) => {
    const blankBefore = /(?:^|\n)[ \t]*\r?\n$/.test(text.slice(Math.max(0, r.start - 3), r.start)) || r.start === 0 || (r.start === 1 && text.charCodeAt(0) === 0xfeff);
    const next = /^[ \t]*\r?\n/.exec(text.slice(r.end));
    return { start: r.start, end: blankBefore && next ? r.end + next[0].length : r.end, text: '' };
  });
}
