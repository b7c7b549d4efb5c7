/**
 * No floating promise: a rewritten call whose value is now a promise (a synchronous legacy call
 * that became an asynchronous canonical one) must not be dropped on the floor, or its rejection
 * becomes an unhandled rejection that crashes the process.
 *
 * - inside an `async` function (the statement's own function, not an enclosing one) it is
 *   awaited: `await p;` — the function already returns a promise, so its callers' contract is
 *   unchanged; unless the legacy call there dropped a promise already (an async legacy member):
 *   awaiting it would make the function wait where it did not, so it is handled as below;
 * - anywhere else (a synchronous function, a callback whose result is ignored, module top level)
 *   its rejection is handled, never silently: `void p.catch(REPORT_REJECTION);` (or
 *   `void Promise.resolve(p).catch(…)` when `p` may be nullish or only a thenable). Making the
 *   function async instead would change its callers' contract.
 *
 * `floatingPromises` is the check (expression statements, and concise arrow bodies whose
 * contextual return type is void, whose type is promise-like and that are not awaited, voided
 * or given a rejection handler); `handleFloating` is the fix. Both work on a type-checked
 * TypeScript source file (ts-morph's TypeScript: the phase that uses it holds a ts-morph project).
 */
import { ts } from 'ts-morph';
import type { Edit } from './types.js';

/** The rejection handler written into synchronous call sites. */
export const REPORT_REJECTION = '(error: unknown) => console.error(error)';
/** The same handler in a JavaScript file, where a type annotation does not parse. */
const REPORT_REJECTION_JS = '(error) => console.error(error)';

/** A type with a callable `then` (one constituent of a union is enough). */
export function isPromiseLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => {
    const then = t.getProperty('then');
    if (!then) return false;
    const decl = then.valueDeclaration ?? then.declarations?.[0];
    const tt = decl ? checker.getTypeOfSymbolAtLocation(then, decl) : undefined;
    return (tt?.getCallSignatures().length ?? 0) > 0;
  });
}

function unparen(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** `p.catch(h)` or `p.then(a, h)`: the rejection is handled. */
function handlesRejection(e: ts.Expression): boolean {
  e = unparen(e);
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return false;
  const name = e.expression.name.text;
  return (name === 'catch' && e.arguments.length >= 1) || (name === 'then' && e.arguments.length >= 2);
}

function voidContextual(checker: ts.TypeChecker, fn: ts.ArrowFunction): boolean {
  const t = checker.getContextualType(fn);
  const sigs = t?.getCallSignatures() ?? [];
  return sigs.length > 0 && sigs.every((s) => (checker.getReturnTypeOfSignature(s).flags & ts.TypeFlags.Void) !== 0);
}

/**
 * Every expression whose promise is dropped: statements and void-returning concise arrow bodies;
 * with `only`, just those it accepts (tested before the checker is asked anything about them).
 */
export function floatingPromises(sf: ts.SourceFile, checker: ts.TypeChecker, only?: (e: ts.Expression) => boolean): ts.Expression[] {
  const out: ts.Expression[] = [];
  const consider = (e: ts.Expression): void => {
    if (only && !only(e)) return;
    const inner = unparen(e);
    if (ts.isAwaitExpression(inner) || ts.isVoidExpression(inner) || handlesRejection(inner)) return;
    if (isPromiseLike(checker, checker.getTypeAtLocation(e))) out.push(e);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isExpressionStatement(n)) consider(n.expression);
    if (ts.isArrowFunction(n) && !ts.isBlock(n.body) && (!only || only(n.body)) && !n.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) && voidContextual(checker, n)) consider(n.body);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Whether `n` runs directly in an async function (no function boundary in between). */
function inAsyncFunction(n: ts.Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return (ts.getCombinedModifierFlags(p as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
    if (ts.isClassStaticBlockDeclaration(p) || ts.isSourceFile(p)) return false;
  }
  return false;
}

/**
 * The edit that stops `e` (one of `floatingPromises`) from floating. `await: false`: never
 * awaited, even in an async function (the legacy call there floated a promise already: awaiting
 * it now would make the function wait where it did not).
 */
export function handleFloating(e: ts.Expression, sf: ts.SourceFile, checker: ts.TypeChecker, options: { await?: boolean } = {}): Edit {
  const start = e.getStart(sf);
  const text = e.getText(sf);
  const statement = ts.isExpressionStatement(e.parent);
  if (statement && options.await !== false && inAsyncFunction(e)) return { start, end: e.end, text: `await ${needsParens(e) ? `(${text})` : text}` };
  const type = checker.getTypeAtLocation(e);
  const plain = !type.isUnion() && type.getProperty('catch') !== undefined;
  const report = /\.[cm]?jsx?$/.test(sf.fileName) ? REPORT_REJECTION_JS : REPORT_REJECTION;
  const p = plain ? `${needsParens(e) ? `(${text})` : text}.catch(${report})` : `Promise.resolve(${text}).catch(${report})`;
  return { start, end: e.end, text: `void ${p}` };
}

/** Whether `e` must be parenthesised as an operand of `.` or `await`. */
function needsParens(e: ts.Expression): boolean {
  return !(ts.isCallExpression(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isIdentifier(e) || ts.isParenthesizedExpression(e) || ts.isNewExpression(e));
}
