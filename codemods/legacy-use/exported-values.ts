/**
 * The values a module exports, each by the name importers use and the declaration their references
 * resolve to, in every shape a module exports one: `export const m = …`, `export default m`,
 * `export default <expression>`, `module.exports = <expression>` (or `= x` of a `const x`),
 * `exports.m = …` / `module.exports = { m }`, and a property of a default-exported object literal,
 * `export default { m }` (named by its key: what `api.m` of an importer resolves to). init lists from it the legacy instances a module
 * exports (init/instances.ts); remove-adapters takes an instances[] entry's reads by it
 * (plan-file.ts), so an entry init drafts for `module.exports = new M()` is one remove-adapters
 * rewrites: one reading of "which export is this reference", whoever asks.
 *
 * Written against a TypeScript API passed in: init runs on the toolkit's TypeScript, remove-adapters
 * on ts-morph's bundled one (SyntaxKind numbers may differ), as strangle/commonjs-shape.ts is.
 */
import type * as TS from 'typescript';
import { readCommonJsShape, type TsApi } from '../strangle/commonjs-shape.js';

export type ExportForm = 'export const' | 'export default' | 'export default object' | 'module.exports' | 'module.exports object' | 'exports.name';

export interface ExportedValue {
  /** `default` for `export default` and `module.exports = …`, else the exported name. */
  name: string;
  form: ExportForm;
  /** The exported expression (or the declared name, for a variable). */
  value: TS.Node;
  /** Where the export is written (its line is reported). */
  at: TS.Node;
  /** What a reference to the export resolves to (its symbol's value declaration). */
  decl: TS.Node;
}

/** A CommonJS script: `.cjs`, or JavaScript with no import/export statement (engine/module-kind.ts's rule, on the API passed in). */
function isCommonJs(t: TsApi, sf: TS.SourceFile): boolean {
  if (/\.cjs$/.test(sf.fileName)) return true;
  if (!/\.(js|jsx)$/.test(sf.fileName)) return false;
  return !sf.statements.some((st) => t.isImportDeclaration(st) || t.isExportDeclaration(st) || t.isExportAssignment(st) || (t.canHaveModifiers(st) && (t.getModifiers(st) ?? []).some((m) => m.kind === t.SyntaxKind.ExportKeyword)));
}

/**
 * The module's exported values declared in it (a re-export is found where it is declared), or
 * undefined for a CommonJS module whose exports are decided at run time (strangle refuses it).
 */
export function exportedValues(t: TsApi, checker: TS.TypeChecker, sf: TS.SourceFile): ExportedValue[] | undefined {
  const resolved = (s: TS.Symbol): TS.Symbol => ((s.flags & t.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(s) : s);
  const declOf = (n: TS.Node | undefined): TS.Node | undefined => {
    const s = n && checker.getSymbolAtLocation(n);
    return s ? resolved(s).valueDeclaration : undefined;
  };
  const out: ExportedValue[] = [];
  if (isCommonJs(t, sf)) {
    const shape = readCommonJsShape(t, sf);
    if (!shape.ok) return undefined;
    if (shape.whole) {
      // what a require() of the module resolves to: the variable exported (`module.exports = x`), else the
      // assignment (`export=`'s declaration; the checker gives a CommonJS file no module symbol to ask)
      const v = shape.whole.node;
      const decl = t.isIdentifier(v) ? declOf(v) : v.parent;
      if (decl) out.push({ name: 'default', form: 'module.exports', value: v, at: v, decl });
    }
    for (const n of shape.named) {
      // `exports.m = …` is declared by its left side; `module.exports = { m }` by what `m` names
      const left = n.nameNode?.parent;
      const assigned = left !== undefined && (t.isPropertyAccessExpression(left) || t.isElementAccessExpression(left));
      const decl = assigned ? (declOf(n.nameNode) ?? left) : declOf(n.node);
      // the form says how it is written (init prints it): `exports.m = …`, or a key of `module.exports = { m }`
      if (decl) out.push({ name: n.name, form: assigned ? 'exports.name' : 'module.exports object', value: n.node, at: n.nameNode ?? n.node, decl });
    }
    return out;
  }
  const ms = checker.getSymbolAtLocation(sf);
  const ownName = (s: TS.Symbol): boolean => {
    const d = resolved(s).valueDeclaration;
    return d !== undefined && t.isVariableDeclaration(d) && t.isIdentifier(d.name) && d.name.text === s.name;
  };
  // a variable exported under its own name first (`export const m`; `export default m` too names it, as default)
  for (const s of (ms ? checker.getExportsOfModule(ms) : []).sort((a, b) => Number(ownName(b)) - Number(ownName(a)))) {
    const d = resolved(s).valueDeclaration;
    if (!d || d.getSourceFile() !== sf) continue;
    if (t.isVariableDeclaration(d)) {
      if (ownName(s)) out.push({ name: s.name, form: 'export const', value: d.name, at: d, decl: d });
      else if (s.name === 'default') out.push({ name: s.name, form: 'export default', value: d.name, at: d, decl: d });
    } else if (t.isExportAssignment(d) && !d.isExportEquals) {
      out.push({ name: s.name, form: 'export default', value: d.expression, at: d, decl: d });
      // `export default { m, n: x }`: each property is what `api.m` of an importer resolves to, named by its key
      let e: TS.Expression = d.expression;
      while (t.isParenthesizedExpression(e) || t.isAsExpression(e) || t.isSatisfiesExpression(e)) e = e.expression;
      if (t.isObjectLiteralExpression(e)) {
        for (const p of e.properties) {
          if (t.isShorthandPropertyAssignment(p)) out.push({ name: p.name.text, form: 'export default object', value: p.name, at: p, decl: p });
          else if (t.isPropertyAssignment(p) && (t.isIdentifier(p.name) || t.isStringLiteral(p.name))) out.push({ name: p.name.text, form: 'export default object', value: p.initializer, at: p, decl: p });
        }
      }
    }
  }
  return out;
}
