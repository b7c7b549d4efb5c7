import ts from './ts-api.js';
import type { ModuleResolver } from './resolve.js';

export type SymbolKind = 'type' | 'value';

function declKind(node: ts.Node): SymbolKind {
  return ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) ? 'type' : 'value';
}

const hasExport = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const hasDefault = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);

/**
 * The names a module exports and whether each is a type or a value, read from syntax only.
 * `export *` and `export { } from` are followed through `load` (a module id to its parsed
 * file), so a barrel's surface is known without a type checker.
 */
export function collectExports(
  moduleId: string,
  load: (id: string) => ts.SourceFile | undefined,
  resolver: ModuleResolver,
  seen: Set<string> = new Set(),
): Map<string, SymbolKind> {
  const out = new Map<string, SymbolKind>();
  if (seen.has(moduleId)) return out;
  seen.add(moduleId);
  const sf = load(moduleId);
  if (!sf) return out;
  const fileName = sf.fileName;
  const locals = new Map<string, SymbolKind>();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause) {
      const typeOnly = st.importClause.isTypeOnly;
      if (st.importClause.name) locals.set(st.importClause.name.text, typeOnly ? 'type' : 'value');
      const nb = st.importClause.namedBindings;
      if (nb && ts.isNamedImports(nb))
        for (const el of nb.elements) locals.set(el.name.text, typeOnly || el.isTypeOnly ? 'type' : 'value');
      else if (nb) locals.set(nb.name.text, typeOnly ? 'type' : 'value');
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) {
          locals.set(d.name.text, 'value');
          if (hasExport(st)) out.set(d.name.text, 'value');
        }
      }
    } else if (
      (ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st) || ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) &&
      st.name && ts.isIdentifier(st.name)
    ) {
      const kind = declKind(st);
      // an interface merged with a class/const stays a value
      if (locals.get(st.name.text) !== 'value') locals.set(st.name.text, kind);
      if (hasExport(st)) {
        if (hasDefault(st)) out.set('default', kind);
        else if (out.get(st.name.text) !== 'value') out.set(st.name.text, kind);
      }
    } else if (ts.isExportAssignment(st)) {
      out.set('default', 'value');
    }
  }
  for (const st of sf.statements) {
    if (!ts.isExportDeclaration(st)) continue;
    const from = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)
      ? resolver.resolve(st.moduleSpecifier.text, fileName)
      : undefined;
    if (!st.exportClause) {
      if (from !== undefined)
        for (const [n, k] of collectExports(from, load, resolver, seen)) if (n !== 'default' && !out.has(n)) out.set(n, st.isTypeOnly ? 'type' : k);
      continue;
    }
    if (ts.isNamespaceExport(st.exportClause)) {
      out.set(st.exportClause.name.text, 'value');
      continue;
    }
    const remote = from !== undefined && st.moduleSpecifier ? collectExports(from, load, resolver, new Set(seen)) : undefined;
    for (const el of st.exportClause.elements) {
      const local = (el.propertyName ?? el.name).text;
      const known = st.moduleSpecifier ? remote?.get(local) : locals.get(local);
      out.set(el.name.text, st.isTypeOnly || el.isTypeOnly ? 'type' : (known ?? 'value'));
    }
  }
  return out;
}
