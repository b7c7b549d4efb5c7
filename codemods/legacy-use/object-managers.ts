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
 * names each), as it was before.
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

/** A top-level `const` whose initializer is an object literal, and a CommonJS `module.exports = { … }` (named `default`): its name and literal. */
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
  return out;
}

/** The object literal a top-level `const name = { … }` of the file holds, if it has one. */
export function objectManagerLiteral(t: TsApi, sf: TS.SourceFile, name: string): TS.ObjectLiteralExpression | undefined {
  return topLevelObjectConsts(t, sf).find((c) => c.name === name)?.literal;
}

/** Names of the file's top-level object-literal consts (what a "did you mean" may offer). */
export function objectManagerNames(t: TsApi, sf: TS.SourceFile): string[] {
  return topLevelObjectConsts(t, sf).map((c) => c.name);
}

/** The const's name when `literal` is the object literal a top-level `const` holds (`default` for a top-level `module.exports = { … }` holding code), else undefined. */
export function objectManagerNameOf(t: TsApi, literal: TS.Node): string | undefined {
  if (!t.isObjectLiteralExpression(literal)) return undefined;
  let n: TS.Node = literal;
  while (n.parent && (t.isParenthesizedExpression(n.parent) || t.isAsExpression(n.parent) || t.isSatisfiesExpression(n.parent) || t.isTypeAssertionExpression(n.parent))) n = n.parent;
  const d = n.parent;
  // `module.exports = { … }`: the assignment's statement (maybe under `exports = …`) is top-level
  let up: TS.Node | undefined = d;
  while (up && t.isBinaryExpression(up)) up = up.parent;
  if (up && t.isExpressionStatement(up) && t.isSourceFile(up.parent) && moduleExportsLiteral(t, up) === literal) return 'default';
  if (!d || !t.isVariableDeclaration(d) || d.initializer !== n || !t.isIdentifier(d.name)) return undefined;
  const list = d.parent;
  if (!t.isVariableDeclarationList(list) || (list.flags & t.NodeFlags.Const) === 0) return undefined;
  const st = list.parent;
  return t.isVariableStatement(st) && t.isSourceFile(st.parent) ? d.name.text : undefined;
}
