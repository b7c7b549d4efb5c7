/**
 * An object manager: a legacy layer written as an object literal bound to a top-level `const`,
 * with no class to name — `export const wsManager = { register(id, c) {…}, notify(id, p) {…} }`
 * over module-level state (a `Map` of sockets). A `classes[]` entry describes it by the const's
 * name (`"class": "wsManager"`); its members are the literal's properties. The manifest check,
 * strangle and remove-adapters each ask "is this name / this literal such a manager" here, so the
 * three read the same shape.
 *
 * A CommonJS module may hold one with no const: `module.exports = { register(id, c) {…}, notify(id, m) {…} }`
 * (plain-JS Express backends). Its entry names it `"class": "default"` — the name the manifest gives a
 * CommonJS module's whole export elsewhere (`instances[]`: `module.exports = new M()` is `default`).
 * Only a literal holding its own code counts (a method, or a function or arrow written in it): a
 * `module.exports = { register, notify }` of module-level functions is a functions module (functions[]
 * names each), as it was before. An ES module's whole export is `default` the same way:
 * `export default { register(id, c) {…} }`, and `const m = { … }; export default m` (then also `m`).
 *
 * Written against a TypeScript API passed in (the manifest check runs on the toolkit's
 * TypeScript, remove-adapters and strangle on ts-morph's bundled one), like its neighbour that reads instance shapes.
 */
import type * as TS from 'typescript';
import type { TsApi } from '../strangle/commonjs-shape.js';

/** The expression under `( … )`, `… as T`, `… satisfies T` and `<T>…` (what the const holds). */
function unwrap(t: TsApi, e: TS.Expression): TS.Expression {
  while (t.isParenthesizedExpression(e) || t.isAsExpression(e) || t.isSatisfiesExpression(e) || t.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

/** `module.exports` (the free `module`, not a property of something else). */
function isModuleExports(t: TsApi, n: TS.Node): boolean {
  return t.isPropertyAccessExpression(n) && t.isIdentifier(n.name) && n.name.text === 'exports' && t.isIdentifier(n.expression) && n.expression.text === 'module';
}

/** A literal with code of its own: a method, or a property holding a function or arrow written in it. */
function holdsCode(t: TsApi, literal: TS.ObjectLiteralExpression): boolean {
  return literal.properties.some((p) => t.isMethodDeclaration(p) || (t.isPropertyAssignment(p) && (t.isFunctionExpression(unwrap(t, p.initializer)) || t.isArrowFunction(unwrap(t, p.initializer)))));
}

/**
 * The object literal a top-level `module.exports = { … }` (or `exports = module.exports = { … }`)
 * assigns, when it holds code of its own. `statement` is a top-level statement.
 */
function moduleExportsLiteral(t: TsApi, statement: TS.Statement): TS.ObjectLiteralExpression | undefined {
  if (!t.isExpressionStatement(statement)) return undefined;
  let e: TS.Expression = statement.expression;
  const isAssign = (x: TS.Expression): x is TS.BinaryExpression => t.isBinaryExpression(x) && x.operatorToken.kind === t.SyntaxKind.EqualsToken;
  // `exports = module.exports = { … }`: the idiom keeping `exports` on the new object
  if (isAssign(e) && t.isIdentifier(e.left) && e.left.text === 'exports' && isAssign(e.right)) e = e.right;
  if (!isAssign(e) || !isModuleExports(t, e.left)) return undefined;
  const right = unwrap(t, e.right);
  return t.isObjectLiteralExpression(right) && holdsCode(t, right) ? right : undefined;
}

/** `export default …` (not `export = …`). */
function exportDefaultOf(t: TsApi, statement: TS.Statement): TS.Expression | undefined {
  return t.isExportAssignment(statement) && !statement.isExportEquals ? unwrap(t, statement.expression) : undefined;
}

/**
 * The file's object managers, each literal under every name the manifest may give it: a top-level
 * `const` holding an object literal (its name); a CommonJS `module.exports = { … }` holding code
 * (`default`); an ESM `export default { … }` holding code (`default`), and a const exported as the
 * default (`const m = { … }; export default m`: both `m` and `default` — `default` is the name the
 * manifest gives a module's whole export, as `instances[]` does for `export default new M()`); so
 * is a const assigned whole to `module.exports` (`const m = { … }; module.exports = m`).
 */
function topLevelObjectConsts(t: TsApi, sf: TS.SourceFile): Array<{ name: string; literal: TS.ObjectLiteralExpression }> {
  const out: Array<{ name: string; literal: TS.ObjectLiteralExpression }> = [];
  for (const st of sf.statements) {
    const whole = moduleExportsLiteral(t, st);
    if (whole) out.push({ name: 'default', literal: whole });
    if (!t.isVariableStatement(st) || (st.declarationList.flags & t.NodeFlags.Const) === 0) continue;
    for (const d of st.declarationList.declarations) {
      if (!t.isIdentifier(d.name) || !d.initializer) continue;
      const init = unwrap(t, d.initializer);
      if (t.isObjectLiteralExpression(init)) out.push({ name: d.name.text, literal: init });
    }
  }
  for (const st of sf.statements) {
    // `module.exports = m` of such a const: the module's whole export too (instances[] reads `const x = new M(); module.exports = x` so)
    const assigned = t.isExpressionStatement(st) && t.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === t.SyntaxKind.EqualsToken && isModuleExports(t, st.expression.left) ? unwrap(t, st.expression.right) : undefined;
    const whole = assigned && t.isIdentifier(assigned) ? out.find((c) => c.name === assigned.text && c.name !== 'default') : undefined;
    if (whole) out.push({ name: 'default', literal: whole.literal });
    const e = exportDefaultOf(t, st);
    if (e && t.isObjectLiteralExpression(e) && holdsCode(t, e)) out.push({ name: 'default', literal: e });
    const named = e && t.isIdentifier(e) ? out.find((c) => c.name === e.text && c.name !== 'default') : undefined;
    if (named) out.push({ name: 'default', literal: named.literal });
  }
  return out;
}

/** Whether the file exports a top-level const by its own name (`export const m`, `export { m }`). */
function exportedByName(t: TsApi, sf: TS.SourceFile, name: string): boolean {
  // a CommonJS module exports by assignment only: `module.exports = m` is its whole export, `default`
  return sf.statements.some(
    (st) =>
      (t.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === t.SyntaxKind.ExportKeyword) === true && st.declarationList.declarations.some((d) => t.isIdentifier(d.name) && d.name.text === name)) ||
      (t.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause !== undefined && t.isNamedExports(st.exportClause) && st.exportClause.elements.some((e) => (e.propertyName ?? e.name).getText() === name)),
  );
}

/** The object literal the file's object manager of that name holds (a const's name, or `default`), if it has one. */
export function objectManagerLiteral(t: TsApi, sf: TS.SourceFile, name: string): TS.ObjectLiteralExpression | undefined {
  return topLevelObjectConsts(t, sf).find((c) => c.name === name)?.literal;
}

/**
 * One name per object manager of the file (what init drafts and a "did you mean" offers): a const
 * reached only as the default export (`const m = { … }; export default m`) is `default`, as its
 * users import it; otherwise the const's name.
 */
export function objectManagerNames(t: TsApi, sf: TS.SourceFile): string[] {
  const all = topLevelObjectConsts(t, sf);
  const out: string[] = [];
  for (const c of all) {
    const names = all.filter((o) => o.literal === c.literal).map((o) => o.name);
    const own = names.find((n) => n !== 'default');
    const pick = own !== undefined && names.includes('default') && !exportedByName(t, sf, own) ? 'default' : (own ?? 'default');
    if (!out.includes(pick)) out.push(pick);
  }
  return out;
}

/** Every name the manifest may give `literal` as an object manager (objectManagerLiteral's names for it); empty when it is none. */
export function objectManagerNamesOf(t: TsApi, literal: TS.Node): string[] {
  if (!t.isObjectLiteralExpression(literal)) return [];
  return topLevelObjectConsts(t, literal.getSourceFile()).filter((c) => c.literal === literal).map((c) => c.name);
}

/** The const's name when `literal` is the object literal a top-level `const` holds (`default` for a whole export with no const: `module.exports = { … }`, `export default { … }`), else undefined. */
export function objectManagerNameOf(t: TsApi, literal: TS.Node): string | undefined {
  const names = objectManagerNamesOf(t, literal);
  return names.find((n) => n !== 'default') ?? names[0];
}
