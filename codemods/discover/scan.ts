import { posix } from 'node:path';
import { buildScopeIndex, type ScopeIndex } from '../engine/scope.js';
import { leftLoad } from '../legacy-use/left-loads.js';
import ts from '../engine/ts-api.js';
import { withoutIndex } from '../engine/module-id.js';
import type { LegacyTarget } from '../engine/context.js';
import type { PhaseRuntime, SyntaxTransform } from '../engine/transform.js';
import { moduleReferences, referenceSites, type SiteForm } from '../engine/import-forms.js';
import { lineColumn } from '../engine/text.js';
import { TargetClassifier } from '../rewrite-imports/targets.js';

export type { SiteForm } from '../engine/import-forms.js';

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
  /** A load no phase removes (legacy-use/left-loads.ts): how its module object is used, e.g. `a conditional require()`. */
  left?: string;
}

export interface Declaration {
  name: string;
  file: string;
  line: number;
  kind: 'class' | 'interface' | 'enum' | 'type' | 'function';
  /** Declared outside the manifest's legacy modules, listed because its name is one the manifest names (a candidate duplicate). */
  suggestion?: true;
}

/** `import { A as B }` / `export { A as B }` of a name the manifest makes legacy: B names legacy code too (comments may say B). */
export interface LegacyAlias {
  name: string;
  alias: string;
  file: string;
  line: number;
}

export interface DiscoverFileData {
  declarations: Declaration[];
  sites: ImportSite[];
  /** Absent in data cached before aliases were recorded. */
  aliases?: LegacyAlias[];
}

/**
 * What is legacy is the manifest's business, not a name pattern: every top-level declaration of
 * a legacy module, and elsewhere (as suggestions) declarations whose name the manifest names.
 */
export const discoverTransform: SyntaxTransform = {
  name: 'discover',
  prefilterTokens(rt) {
    const c = rt.ctx.canonical;
    return [
      ...rt.ctx.declarationNames,
      ...(c.specifier !== undefined ? [c.specifier] : []),
      // an in-repo canonical module is reached by a path that names it
      ...(c.moduleId !== undefined ? [posix.basename(withoutIndex(c.moduleId))] : []),
      ...rt.ctx.prefilterTokens,
    ];
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
  const inLegacyModule = targets.legacyOfFile() !== undefined;
  const manifestNames = new Set(rt.ctx.declarationNames);
  const aliases: LegacyAlias[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) && node.propertyName && ts.isIdentifier(node.propertyName) && node.propertyName.text !== node.name.text && manifestNames.has(node.propertyName.text) && !canonicalExports.has(node.propertyName.text)) {
      aliases.push({ name: node.propertyName.text, alias: node.name.text, file, line: line(node) });
    }
    if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isEnumDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isFunctionDeclaration(node)) {
      const name = node.name?.text;
      const topLevel = node.parent === sf;
      // a legacy module: its top-level declarations; elsewhere: the names the manifest names
      // one declaration per name and file: overloads, interface merges and a class merged with an interface are one symbol
      if (name !== undefined && ((inLegacyModule && topLevel) || manifestNames.has(name)) && !(ts.isFunctionDeclaration(node) && !topLevel) && !declarations.some((d) => d.name === name)) {
        const kind = ts.isClassDeclaration(node) ? 'class' : ts.isInterfaceDeclaration(node) ? 'interface' : ts.isEnumDeclaration(node) ? 'enum' : ts.isFunctionDeclaration(node) ? 'function' : 'type';
        const d: Declaration = { name, file, line: line(node), kind };
        if (!inLegacyModule) d.suggestion = true;
        declarations.push(d);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let scope: ScopeIndex | undefined;
  if (countSites)
    for (const ref of moduleReferences(sf)) {
      const t = targets.classify(ref.specifier);
      if (t) for (const site of referenceSites(ref)) add(site.node, site.form, ref.specifier, t, site.name, site.alias);
      // a load the phases leave: rewrite-imports defers it, remove-adapters keeps it, remove-shim refuses on it
      const left = t?.kind === 'legacy' && (ref.kind === 'require' || ref.kind === 'dynamic-import') ? leftLoad(ref.node as ts.CallExpression, ref.kind === 'dynamic-import', rt.ctx, t.legacy.moduleId, (scope ??= buildScopeIndex(sf))) : undefined;
      if (left) sites[sites.length - 1]!.left = left;
    }
  return { declarations, sites, aliases };
}
