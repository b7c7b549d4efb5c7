import ts from '../engine/ts-api.js';
import type { LegacyTarget } from '../engine/context.js';
import type { PhaseRuntime, SyntaxTransform } from '../engine/transform.js';
import { lineColumn } from '../engine/text.js';
import { TargetClassifier } from '../rewrite-imports/targets.js';

export type SiteForm =
  | 'named' | 'aliased' | 'default' | 'namespace' | 'type-only' | 'mixed-type' | 'side-effect'
  | 'export-named' | 'export-star' | 'export-namespace' | 'import-equals' | 'require' | 'dynamic-import' | 'import-type';

/** One import site: one imported name, or one whole-module reference. */
export interface ImportSite {
  file: string;
  line: number;
  form: SiteForm;
  specifier: string;
  /** "canonical" or the legacy deprecation id. */
  target: string;
  /** The name taken from the module (undefined for whole-module references). */
  name?: string;
  alias?: string;
  insideFunction: boolean;
  compliant: boolean;
  dangling: boolean;
}

export interface Declaration {
  name: string;
  file: string;
  line: number;
  kind: 'class' | 'interface' | 'enum' | 'type';
}

export interface DiscoverFileData {
  declarations: Declaration[];
  sites: ImportSite[];
}

const DECL_NAME = /(Manager|Protocol|Mode|Notifier|Adapter)/;

export const discoverTransform: SyntaxTransform = {
  name: 'discover',
  prefilter(text, rt) {
    if (DECL_NAME.test(text)) return true;
    if (rt.ctx.canonical.specifier !== undefined && text.includes(rt.ctx.canonical.specifier)) return true;
    return rt.ctx.prefilterTokens.some((t) => text.includes(t));
  },
  transform(input, rt) {
    return { edits: [], problems: [], data: scanFile(input.file, input.text, input.sf, rt) };
  },
};

function insideFunction(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return true;
  return false;
}

/** Declarations and import sites of one file (read-only). */
export function scanFile(file: string, text: string, sf: ts.SourceFile, rt: PhaseRuntime): DiscoverFileData {
  const targets = new TargetClassifier(rt, file);
  const declarations: Declaration[] = [];
  const sites: ImportSite[] = [];
  const canonicalExports = new Set(rt.ctx.canonical.exports);
  const line = (n: ts.Node): number => lineColumn(text, n.getStart(sf)).line;

  const add = (node: ts.Node, form: SiteForm, specifier: string, t: { kind: 'canonical' } | { kind: 'legacy'; legacy: LegacyTarget }, name?: string, alias?: string): void => {
    const canonical = t.kind === 'canonical';
    let dangling = false;
    if (name !== undefined) {
      if (canonical) dangling = canonicalExports.size > 0 && !canonicalExports.has(name);
      else dangling = Object.keys(t.legacy.exports).length > 0 && t.legacy.exports[name] === undefined;
    }
    const site: ImportSite = {
      file,
      line: line(node),
      form,
      specifier,
      target: canonical ? 'canonical' : t.legacy.id,
      insideFunction: insideFunction(node),
      compliant: canonical && !dangling,
      dangling,
    };
    if (name !== undefined) site.name = name;
    if (alias !== undefined && alias !== name) site.alias = alias;
    sites.push(site);
  };

  // the legacy modules and the canonical module are the two ends, not users: their own imports are not sites
  const countSites = targets.legacyOfFile() === undefined && !targets.isCanonicalOwnFile();
  const visit = (node: ts.Node): void => {
    if (!countSites && !ts.isClassDeclaration(node) && !ts.isInterfaceDeclaration(node) && !ts.isEnumDeclaration(node) && !ts.isTypeAliasDeclaration(node)) {
      ts.forEachChild(node, visit);
      return;
    }
    if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isEnumDeclaration(node) || ts.isTypeAliasDeclaration(node)) {
      const name = node.name?.text;
      if (name !== undefined && DECL_NAME.test(name)) {
        const kind = ts.isClassDeclaration(node) ? 'class' : ts.isInterfaceDeclaration(node) ? 'interface' : ts.isEnumDeclaration(node) ? 'enum' : 'type';
        declarations.push({ name, file, line: line(node), kind });
      }
    }
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      const t = targets.classify(spec);
      if (t) {
        const clause = node.importClause;
        if (!clause) add(node, 'side-effect', spec, t);
        else {
          const nb = clause.namedBindings;
          const mixed = nb && ts.isNamedImports(nb) && nb.elements.some((e) => e.isTypeOnly) && nb.elements.some((e) => !e.isTypeOnly);
          if (clause.name) add(clause.name, clause.isTypeOnly ? 'type-only' : 'default', spec, t, 'default', clause.name.text);
          if (nb && ts.isNamespaceImport(nb)) add(nb, clause.isTypeOnly ? 'type-only' : 'namespace', spec, t);
          else if (nb)
            for (const el of nb.elements) {
              const form: SiteForm = clause.isTypeOnly || (el.isTypeOnly && !mixed) ? 'type-only' : mixed ? 'mixed-type' : el.propertyName ? 'aliased' : 'named';
              add(el, form, spec, t, (el.propertyName ?? el.name).text, el.name.text);
            }
        }
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      const t = targets.classify(spec);
      if (t) {
        if (!node.exportClause) add(node, 'export-star', spec, t);
        else if (ts.isNamespaceExport(node.exportClause)) add(node, 'export-namespace', spec, t);
        else for (const el of node.exportClause.elements) add(el, 'export-named', spec, t, (el.propertyName ?? el.name).text, el.name.text);
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      const spec = node.moduleReference.expression.text;
      const t = targets.classify(spec);
      if (t) add(node, 'import-equals', spec, t);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isDynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isDynamic) {
        const spec = (node.arguments[0] as ts.StringLiteral).text;
        const t = targets.classify(spec);
        if (t) {
          const form: SiteForm = isRequire ? 'require' : 'dynamic-import';
          let v: ts.Node = node;
          while (ts.isAwaitExpression(v.parent) || ts.isParenthesizedExpression(v.parent)) v = v.parent;
          const p = v.parent;
          if (ts.isVariableDeclaration(p) && ts.isObjectBindingPattern(p.name))
            for (const el of p.name.elements) {
              const key = el.propertyName ?? el.name;
              if (ts.isIdentifier(key)) add(el, form, spec, t, key.text, ts.isIdentifier(el.name) ? el.name.text : undefined);
            }
          else if (ts.isPropertyAccessExpression(p) && p.expression === v && p.name.text !== 'then') add(node, form, spec, t, p.name.text);
          else add(node, form, spec, t);
        }
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      const spec = node.argument.literal.text;
      const t = targets.classify(spec);
      if (t) {
        let first: ts.EntityName | undefined = node.qualifier;
        while (first && ts.isQualifiedName(first)) first = first.left;
        add(node, 'import-type', spec, t, first?.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { declarations, sites };
}
