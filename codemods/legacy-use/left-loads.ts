/**
 * A load the phases leave: `require(L)` / `import(L)` of a legacy module whose module object is used
 * whole where no phase follows it — an operand of `?:` or of `||`/`&&`/`??`, an argument, an element,
 * a statement of its own — while remove-adapters works in that module (an exported instance, a
 * class's members, a factory, a template). rewrite-imports defers such a load (retargeted, it would
 * load the canonical module, which has no such instance), remove-adapters rewrites the member calls
 * reached through it but not the load, and remove-shim's gate names it, refusing. discover reports
 * each in its inventory, so a person knows at phase 0. One decision, whoever asks.
 *
 * So is a module object held in a binding (`const m = require(L)`) read other than as `m.member`:
 * handed on, it leaves with the value (heldModuleEscapes: rewrite-imports asks it of the references
 * its checker finds, discover of the syntactic scope's).
 *
 * Followed, so not left: `const { a } = require(L)`, `const m = require(L)` read as `m.a` only (their
 * bindings are rewritten like an import's), `require(L).a`, `import(L).then(…)`.
 */
import { bindingReferences, type ScopeIndex } from '../engine/scope.js';
import ts from '../engine/ts-api.js';

/** What remove-adapters works in, by legacy module id (engine/context.ts's PhaseContext has both). */
export interface RemoveAdaptersWork {
  classMembers: Readonly<Record<string, readonly string[]>>;
  deferred: Readonly<Record<string, readonly string[]>>;
}

/** Whether remove-adapters rewrites something of the legacy module (its loads then wait for it). */
export function removeAdaptersWorksIn(work: RemoveAdaptersWork, moduleId: string): boolean {
  return (work.classMembers[moduleId]?.length ?? 0) > 0 || (work.deferred[moduleId]?.length ?? 0) > 0;
}

/** How a load's module object is used whole where no phase follows it (`a conditional require()`, …), or undefined when a phase follows it. */
export function wholeModuleUse(call: ts.CallExpression, dynamic: boolean): string | undefined {
  const what = dynamic ? 'import()' : 'require()';
  let value: ts.Node = call;
  while (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const p = value.parent;
  if (ts.isVariableDeclaration(p) && p.initializer === value && (ts.isIdentifier(p.name) || ts.isObjectBindingPattern(p.name))) return undefined;
  if (ts.isPropertyAccessExpression(p) && p.expression === value) return undefined;
  if (ts.isConditionalExpression(p) && p.condition !== value) return `a conditional ${what}`;
  if (ts.isBinaryExpression(p) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.QuestionQuestionToken].includes(p.operatorToken.kind)) return `a ${what} in a logical expression`;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(value as ts.Expression)) return `${what} passed as an argument`;
  if (ts.isExpressionStatement(p)) return `${what} for its side effects`;
  return `${what} as a whole module object`;
}

/** Whether a binding holding a module object is read other than as `m.member` (`ns.T` in a type too): the object escapes. */
export function heldModuleEscapes(references: readonly ts.Identifier[]): boolean {
  return references.some((id) => {
    const p = id.parent;
    const member = ts.isPropertyAccessExpression(p) && p.expression === id ? p.name : ts.isQualifiedName(p) && p.left === id ? p.right : undefined;
    return !member || !ts.isIdentifier(member);
  });
}

/** The shape of a load the phases leave (see the module doc), or undefined; `scope` finds a holding binding's references. */
export function leftLoad(call: ts.CallExpression, dynamic: boolean, work: RemoveAdaptersWork, moduleId: string, scope: ScopeIndex): string | undefined {
  if (!removeAdaptersWorksIn(work, moduleId)) return undefined;
  const whole = wholeModuleUse(call, dynamic);
  if (whole) return whole;
  let value: ts.Node = call;
  while (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const p = value.parent;
  if (!ts.isVariableDeclaration(p) || !ts.isIdentifier(p.name)) return undefined;
  const name = p.name;
  const refs = bindingReferences(name, scope.declared.get(name.text) ?? [], scope.references.get(name.text) ?? []);
  return heldModuleEscapes(refs) ? `${dynamic ? 'import()' : 'require()'} held in ${name.text} and used as a value` : undefined;
}
