/**
 * Every way a file can reach another module, and how to find each in a TypeScript AST: the one
 * place that knows the import forms. Discover's sites, rewrite-imports, strangle's frozen
 * specifiers and the legacy-use scan (remove-shim's gate, the dashboard, status) all read it.
 */
import { forEachDocType, isJavaScriptFile, jsDocsOf } from './scope.js';
import ts from './ts-api.js';

/** The syntactic kind of a module reference. */
export type ReferenceKind = 'import' | 'export' | 'import-equals' | 'require' | 'dynamic-import' | 'import-type';

export interface ModuleReference {
  kind: ReferenceKind;
  specifier: string;
  literal: ts.StringLiteralLike;
  /** The declaration (import/export/import-equals), the call (require/import()) or the import type node. */
  node: ts.Node;
}

/**
 * The forms discover counts, one site per imported name (or per whole-module reference):
 * `import { A }`, `import { A as B }`, `import D`, `import * as ns`, `import type …`,
 * `import { type A, B }`, `import 'm'`, `export { A } from`, `export * from`, `export * as ns from`,
 * `import x = require()`, `require()`, `import()`, `import('m').T`.
 */
export const SITE_FORMS = [
  'named', 'aliased', 'default', 'namespace', 'type-only', 'mixed-type', 'side-effect',
  'export-named', 'export-star', 'export-namespace', 'import-equals', 'require', 'dynamic-import', 'import-type',
] as const;
export type SiteForm = (typeof SITE_FORMS)[number];

/**
 * Where the text may hold a module reference: every `import`, `export` and `require` and every
 * backslash (an escaped identifier such as `\u0072equire` is `require` to the parser), in order.
 * Each reference's node spans one of them (its keyword, or the `require` callee), so a subtree
 * whose span holds none has no reference and is not walked: a file's function bodies, most of
 * its tree, are skipped without changing the answer.
 */
function referenceCues(text: string): number[] {
  const out: number[] = [];
  const re = /import|export|require|\\/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m.index);
  return out;
}

/** Every module reference of a file, in document order. */
export function moduleReferences(sf: ts.SourceFile): ModuleReference[] {
  const out: ModuleReference[] = [];
  const cues = referenceCues(sf.text);
  const mayHold = (n: ts.Node): boolean => {
    // the first cue at or after n.pos, by binary search
    let lo = 0;
    let hi = cues.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cues[mid]! < n.pos) lo = mid + 1;
      else hi = mid;
    }
    return lo < cues.length && cues[lo]! < n.end;
  };
  const visit = (n: ts.Node): void => {
    if (!mayHold(n)) return;
    if (ts.isImportDeclaration(n) && ts.isStringLiteralLike(n.moduleSpecifier)) out.push({ kind: 'import', specifier: n.moduleSpecifier.text, literal: n.moduleSpecifier, node: n });
    else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteralLike(n.moduleSpecifier)) out.push({ kind: 'export', specifier: n.moduleSpecifier.text, literal: n.moduleSpecifier, node: n });
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteralLike(n.moduleReference.expression))
      out.push({ kind: 'import-equals', specifier: n.moduleReference.expression.text, literal: n.moduleReference.expression, node: n });
    else if (ts.isCallExpression(n) && n.arguments.length >= 1 && ts.isStringLiteralLike(n.arguments[0]!)) {
      const callee = n.expression;
      const lit = n.arguments[0] as ts.StringLiteralLike;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) out.push({ kind: 'dynamic-import', specifier: lit.text, literal: lit, node: n });
      else if (ts.isIdentifier(callee) && callee.text === 'require') out.push({ kind: 'require', specifier: lit.text, literal: lit, node: n });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal))
      out.push({ kind: 'import-type', specifier: n.argument.literal.text, literal: n.argument.literal, node: n });
    // a JavaScript file's JSDoc types are checked (`@typedef {import('m').X}`): their imports are the module's too
    if (js) for (const doc of jsDocsOf(n)) forEachDocType(doc, visit);
    ts.forEachChild(n, visit);
  };
  const js = isJavaScriptFile(sf);
  visit(sf);
  return out;
}

/** The module literal of `import('m')` or `require('m')`, awaited, parenthesised or asserted (`require('m') as typeof import('m')`); else undefined. */
export function moduleLoadOf(e: ts.Expression): ts.StringLiteralLike | undefined {
  while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  if (!ts.isCallExpression(e) || e.arguments.length !== 1 || !ts.isStringLiteralLike(e.arguments[0]!)) return undefined;
  const loads = e.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(e.expression) && e.expression.text === 'require');
  return loads ? e.arguments[0] : undefined;
}

export interface ReferenceSite {
  form: SiteForm;
  /** Where the site is (an import specifier, a binding element, the call). */
  node: ts.Node;
  /** The name taken from the module (undefined for a whole-module reference). */
  name?: string;
  /** The local name, when it differs or is bound. */
  alias?: string;
}

/** The sites of one reference: one per imported name, or one for the whole module. */
export function referenceSites(ref: ModuleReference): ReferenceSite[] {
  const n = ref.node;
  const out: ReferenceSite[] = [];
  const add = (form: SiteForm, node: ts.Node, name?: string, alias?: string) => out.push({ form, node, ...(name !== undefined ? { name } : {}), ...(alias !== undefined ? { alias } : {}) });
  if (ts.isImportDeclaration(n)) {
    const clause = n.importClause;
    if (!clause) add('side-effect', n);
    else {
      const nb = clause.namedBindings;
      const mixed = nb && ts.isNamedImports(nb) && nb.elements.some((e) => e.isTypeOnly) && nb.elements.some((e) => !e.isTypeOnly);
      if (clause.name) add(clause.isTypeOnly ? 'type-only' : 'default', clause.name, 'default', clause.name.text);
      if (nb && ts.isNamespaceImport(nb)) add(clause.isTypeOnly ? 'type-only' : 'namespace', nb);
      else if (nb)
        for (const el of nb.elements) {
          const form: SiteForm = clause.isTypeOnly || (el.isTypeOnly && !mixed) ? 'type-only' : mixed ? 'mixed-type' : el.propertyName ? 'aliased' : 'named';
          add(form, el, (el.propertyName ?? el.name).text, el.name.text);
        }
    }
  } else if (ts.isExportDeclaration(n)) {
    if (!n.exportClause) add('export-star', n);
    else if (ts.isNamespaceExport(n.exportClause)) add('export-namespace', n);
    else for (const el of n.exportClause.elements) add('export-named', el, (el.propertyName ?? el.name).text, el.name.text);
  } else if (ts.isImportEqualsDeclaration(n)) add('import-equals', n);
  else if (ts.isCallExpression(n)) {
    const form: SiteForm = ref.kind === 'require' ? 'require' : 'dynamic-import';
    let v: ts.Node = n;
    while (ts.isAwaitExpression(v.parent) || ts.isParenthesizedExpression(v.parent)) v = v.parent;
    const p = v.parent;
    if (ts.isVariableDeclaration(p) && ts.isObjectBindingPattern(p.name))
      for (const el of p.name.elements) {
        const key = el.propertyName ?? el.name;
        if (ts.isIdentifier(key)) add(form, el, key.text, ts.isIdentifier(el.name) ? el.name.text : undefined);
      }
    else if (ts.isPropertyAccessExpression(p) && p.expression === v && p.name.text !== 'then') add(form, n, p.name.text);
    else add(form, n);
  } else if (ts.isImportTypeNode(n)) {
    let first: ts.EntityName | undefined = n.qualifier;
    while (first && ts.isQualifiedName(first)) first = first.left;
    add('import-type', n, first?.text);
  }
  return out;
}
