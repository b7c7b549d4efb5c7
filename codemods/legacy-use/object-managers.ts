/**
 * An object manager: a legacy layer written as an object literal bound to a top-level `const`,
 * with no class to name — `export const wsManager = { register(id, c) {…}, notify(id, p) {…} }`
 * over module-level state (a `Map` of sockets). A `classes[]` entry describes it by the const's
 * name (`"class": "wsManager"`); its members are the literal's properties. The manifest check,
 * strangle and remove-adapters each ask "is this name / this literal such a manager" here, so the
 * three read the same shape.
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

/** A top-level `const` whose initializer is an object literal: its name and literal. */
function topLevelObjectConsts(t: TsApi, sf: TS.SourceFile): Array<{ name: string; literal: TS.ObjectLiteralExpression }> {
  const out: Array<{ name: string; literal: TS.ObjectLiteralExpression }> = [];
  for (const st of sf.statements) {
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

/** The const's name when `literal` is the object literal a top-level `const` holds, else undefined. */
export function objectManagerNameOf(t: TsApi, literal: TS.Node): string | undefined {
  if (!t.isObjectLiteralExpression(literal)) return undefined;
  let n: TS.Node = literal;
  while (n.parent && (t.isParenthesizedExpression(n.parent) || t.isAsExpression(n.parent) || t.isSatisfiesExpression(n.parent) || t.isTypeAssertionExpression(n.parent))) n = n.parent;
  const d = n.parent;
  if (!d || !t.isVariableDeclaration(d) || d.initializer !== n || !t.isIdentifier(d.name)) return undefined;
  const list = d.parent;
  if (!t.isVariableDeclarationList(list) || (list.flags & t.NodeFlags.Const) === 0) return undefined;
  const st = list.parent;
  return t.isVariableStatement(st) && t.isSourceFile(st.parent) ? d.name.text : undefined;
}
