/**
 * How a call's receiver and arguments go into a template (a member, adapter-method, free-function
 * or construction template): one answer for all of them. A template runs each argument where and
 * as often as it names it; the legacy call ran each once, receiver first, then the arguments in
 * their order. So an argument the template repeats, drops, names out of order or only on some
 * paths changes what the code does — unless nothing can tell:
 *
 * - **pure** (isPure): evaluating it has no side effect, so it may be dropped or repeated. Names,
 *   `this`, literals, property and element reads (a getter could run: the migration assumes
 *   reads of the app's own values do not act, as every call-site rewrite does), `!x`, `typeof x`,
 *   `void x`, `-x`/`+x`/`~x` on a number or bigint, `a === b`, `a ? b : c`, `a && b`, a template
 *   literal, object/array literals and element keys of pure parts; a template literal's
 *   substitution, an element key and a unary operand must be primitives (an object's `toString`
 *   / `valueOf` is the app's code), an array spread an array or tuple (another iterable runs its
 *   iterator). Arrow functions and function expressions are pure: making a closure runs nothing.
 * - **fresh** (isFresh): a pure value that is a new object each time it is evaluated (object and
 *   array literals, closures, a regular expression literal): dropping it is fine, repeating it
 *   would give two objects where the call had one (`{ a: $1, b: $1 }`: `a !== b`), so a repeated
 *   one is evaluated once like an argument with side effects.
 * - **stable** (isStable): a pure value no code can change between the call and the template:
 *   literals, `this`, closures, and names of a `const`, an import, a declaration, or a parameter /
 *   `let` nothing assigns in its scope — never a property read. A pure value that is not stable
 *   is read where the call read it when an argument with side effects runs before the template
 *   reads it (that argument may change it).
 *
 * When the template does not evaluate the call's parts exactly as the call did, the ones that
 * must be are evaluated once, in call order, ahead of it: as the arguments of an arrow whose body
 * is the template, `(($1) => m.emit(…, { a: $1, b: $1 }))(plan(x))` (a dropped one as an unused
 * `_$n` parameter; when every such part is dropped, a comma expression `(audit(e), template)`).
 * Arguments may `await` or `yield` (they are evaluated outside the arrow); a template that does
 * is marked instead, as is a spread argument, a pure part naming `$1`/`$m` (the arrow's
 * parameters would shadow it), and a bound part with a literal type its parameter would widen
 * (`{ type: 'x' }` is `{ type: string }` as an arrow's parameter).
 */
import { Node, SyntaxKind, type Type } from 'ts-morph';
import { asOperand, templateShape } from '../../manifest/templates.js';

const skipWrappers = (n: Node): Node => {
  while (Node.isParenthesizedExpression(n) || Node.isNonNullExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isTypeAssertion(n)) n = n.getExpression();
  return n;
};

/** A type whose conversion to a string, number or key runs no code of the app's (a primitive other than symbol). */
function primitive(t: Type): boolean {
  if (t.isUnion()) return t.getUnionTypes().every(primitive);
  return t.isString() || t.isNumber() || t.isBoolean() || t.isStringLiteral() || t.isNumberLiteral() || t.isBooleanLiteral() || t.isTemplateLiteral() || t.isEnum() || t.isEnumLiteral() || t.isUndefined() || t.isNull() || t.isBigInt() || t.isBigIntLiteral();
}

const numeric = (t: Type): boolean => (t.isUnion() ? t.getUnionTypes().every(numeric) : t.isNumber() || t.isNumberLiteral() || t.isBigInt() || t.isBigIntLiteral() || t.isEnumLiteral());

/** A receiver or argument that can be dropped or repeated without changing behaviour (the module comment's rule). */
export function isPure(node: Node): boolean {
  const n = skipWrappers(node);
  // `super` (only ever `super.m` / `super[k]`) is `this` looked up on the parent class: reading it acts no more than `this`
  if (Node.isIdentifier(n) || Node.isThisExpression(n) || Node.isSuperExpression(n) || Node.isLiteralExpression(n) || Node.isTrueLiteral(n) || Node.isFalseLiteral(n) || Node.isNullLiteral(n)) return true;
  if (Node.isArrowFunction(n) || Node.isFunctionExpression(n)) return true;
  if (Node.isPropertyAccessExpression(n)) return isPure(n.getExpression());
  if (Node.isElementAccessExpression(n)) {
    const key = n.getArgumentExpression();
    return key !== undefined && isPure(n.getExpression()) && isPure(key) && primitive(key.getType());
  }
  if (Node.isTypeOfExpression(n) || Node.isVoidExpression(n)) return isPure(n.getExpression());
  if (Node.isPrefixUnaryExpression(n)) {
    const op = n.getOperatorToken();
    const operand = n.getOperand();
    if (op === SyntaxKind.ExclamationToken) return isPure(operand);
    if (op === SyntaxKind.MinusToken || op === SyntaxKind.PlusToken || op === SyntaxKind.TildeToken) return isPure(operand) && numeric(operand.getType());
    return false;
  }
  if (Node.isTemplateExpression(n)) return n.getTemplateSpans().every((s) => isPure(s.getExpression()) && primitive(s.getExpression().getType()));
  if (Node.isConditionalExpression(n)) return isPure(n.getCondition()) && isPure(n.getWhenTrue()) && isPure(n.getWhenFalse());
  if (Node.isBinaryExpression(n)) {
    const op = n.getOperatorToken().getKind();
    const plain = [SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken].includes(op);
    return plain && isPure(n.getLeft()) && isPure(n.getRight());
  }
  if (Node.isArrayLiteralExpression(n)) {
    return n.getElements().every((e) => (Node.isSpreadElement(e) ? isPure(e.getExpression()) && (e.getExpression().getType().isArray() || e.getExpression().getType().isTuple()) : Node.isOmittedExpression(e) || isPure(e)));
  }
  if (Node.isObjectLiteralExpression(n)) {
    return n.getProperties().every((p) => {
      const name = Node.isPropertyAssignment(p) || Node.isMethodDeclaration(p) || Node.isGetAccessorDeclaration(p) || Node.isSetAccessorDeclaration(p) ? p.getNameNode() : undefined;
      if (name && Node.isComputedPropertyName(name) && !(isPure(name.getExpression()) && primitive(name.getExpression().getType()))) return false;
      if (Node.isPropertyAssignment(p)) return isPure(p.getInitializerOrThrow());
      if (Node.isShorthandPropertyAssignment(p)) return p.getObjectAssignmentInitializer() === undefined;
      // a spread reads the properties, as a property read does
      if (Node.isSpreadAssignment(p)) return isPure(p.getExpression());
      return true; // a method or accessor is only defined
    });
  }
  return false;
}

/** A pure value that is a new object each time it is evaluated: repeating it would make two. */
export function isFresh(node: Node): boolean {
  const n = skipWrappers(node);
  if (Node.isObjectLiteralExpression(n) || Node.isArrayLiteralExpression(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n) || Node.isRegularExpressionLiteral(n)) return true;
  if (Node.isConditionalExpression(n)) return isFresh(n.getWhenTrue()) || isFresh(n.getWhenFalse());
  if (Node.isBinaryExpression(n)) return isFresh(n.getLeft()) || isFresh(n.getRight());
  return false;
}

/** The names something in a scope assigns, per scope node (one walk per scope, not one per argument checked). */
const assignedByScope = new WeakMap<object, ReadonlySet<string>>();

/** Whether something in `scope` assigns the name `name` (`=`, `+=`, `++`, a destructuring or `for … of` target). */
function assignedIn(scope: Node, name: string): boolean {
  // keyed on the compiler node: a manipulated file gets new nodes, so a stale answer is never read
  let names = assignedByScope.get(scope.compilerNode);
  if (!names) {
    const found = new Set<string>();
    for (const id of scope.getDescendantsOfKind(SyntaxKind.Identifier)) if (isAssignmentTarget(id)) found.add(id.getText());
    assignedByScope.set(scope.compilerNode, (names = found));
  }
  return names.has(name);
}

function isAssignmentTarget(id: Node): boolean {
  let c: Node = id;
  let p = c.getParent();
  while (p && (Node.isParenthesizedExpression(p) || Node.isNonNullExpression(p) || Node.isArrayLiteralExpression(p) || Node.isSpreadElement(p) || Node.isShorthandPropertyAssignment(p) || (Node.isPropertyAssignment(p) && p.getInitializer() === c) || Node.isObjectLiteralExpression(p) || Node.isSpreadAssignment(p))) {
    c = p;
    p = p.getParent();
  }
  if (Node.isBinaryExpression(p)) {
    const op = p.getOperatorToken().getKind();
    return p.getLeft() === c && op >= SyntaxKind.FirstAssignment && op <= SyntaxKind.LastAssignment;
  }
  if (Node.isPrefixUnaryExpression(p) || Node.isPostfixUnaryExpression(p)) return p.getOperatorToken() === SyntaxKind.PlusPlusToken || p.getOperatorToken() === SyntaxKind.MinusMinusToken;
  return (Node.isForInStatement(p) || Node.isForOfStatement(p)) && p.getInitializer() === c;
}

/** A pure value no code can change between the call and the template (the module comment's rule). */
export function isStable(node: Node): boolean {
  const n = skipWrappers(node);
  if (Node.isThisExpression(n) || Node.isLiteralExpression(n) || Node.isTrueLiteral(n) || Node.isFalseLiteral(n) || Node.isNullLiteral(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n)) return true;
  if (Node.isIdentifier(n)) {
    const sym = n.getSymbol();
    const decl = sym?.getDeclarations()[0];
    if (!decl) return sym?.getName() === 'undefined';
    if (Node.isImportSpecifier(decl) || Node.isImportClause(decl) || Node.isNamespaceImport(decl) || Node.isImportEqualsDeclaration(decl) || Node.isFunctionDeclaration(decl) || Node.isClassDeclaration(decl) || Node.isEnumDeclaration(decl) || Node.isModuleDeclaration(decl)) return true;
    if (Node.isVariableDeclaration(decl) && decl.getVariableStatement()?.getDeclarationKind() === 'const') return true;
    if (!(Node.isVariableDeclaration(decl) || Node.isParameterDeclaration(decl) || Node.isBindingElement(decl))) return false;
    // a parameter or `let`/`var`: stable when nothing in its function (or file) assigns it
    const scope = decl.getFirstAncestor((a) => Node.isSourceFile(a) || Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
    return scope !== undefined && !assignedIn(scope, n.getText());
  }
  if (Node.isTypeOfExpression(n) || Node.isVoidExpression(n)) return isStable(n.getExpression());
  if (Node.isPrefixUnaryExpression(n)) return isStable(n.getOperand());
  if (Node.isTemplateExpression(n)) return n.getTemplateSpans().every((s) => isStable(s.getExpression()));
  if (Node.isConditionalExpression(n)) return isStable(n.getCondition()) && isStable(n.getWhenTrue()) && isStable(n.getWhenFalse());
  if (Node.isBinaryExpression(n)) return isStable(n.getLeft()) && isStable(n.getRight());
  if (Node.isArrayLiteralExpression(n)) return n.getElements().every((e) => Node.isOmittedExpression(e) || (!Node.isSpreadElement(e) && isStable(e)));
  if (Node.isObjectLiteralExpression(n)) return n.getProperties().every((p) => (Node.isPropertyAssignment(p) ? !Node.isComputedPropertyName(p.getNameNode()) && isStable(p.getInitializerOrThrow()) : Node.isShorthandPropertyAssignment(p) ? isStable(p.getNameNode()) : Node.isMethodDeclaration(p) || Node.isGetAccessorDeclaration(p) || Node.isSetAccessorDeclaration(p)));
  return false;
}

/** A part of the call evaluated ahead of the template: 0 the receiver (`$m`), n argument n. */
export interface BoundPart {
  index: number;
  node: Node;
  /** Named by the template (else evaluated for its effects only). */
  used: boolean;
}

export type ArgumentPlan = { problem: string } | { bound: BoundPart[] };

/** The arrow's parameter for a bound part. */
const boundName = (p: BoundPart): string => `${p.used ? '' : '_'}$${p.index === 0 ? 'm' : p.index}`;

/**
 * How `args` (and `receiver`, when the template names it as `$m`) go into `template`: as they
 * are (`bound` empty), with some parts evaluated once ahead of it (bindTemplate), or not at all
 * (`problem`, for a TODO(ssot) marker). `call` names the call (`Hub.send`), `what` the template
 * (`the template of Hub.send`). `userArgumentDropped`: `$user(x)` is written without `x` (the
 * factory on `$ctx`), so `x` is not evaluated there.
 */
export function planArguments(template: string, args: readonly Node[], call: string, what: string, { receiver, userArgumentDropped = false }: { receiver?: Node; userArgumentDropped?: boolean } = {}): ArgumentPlan {
  if (args.some((a) => Node.isSpreadElement(a))) return { problem: `${call} is called with a spread argument; ${what} needs each argument` };
  const shape = templateShape(template);
  const occurrences = shape.occurrences.filter((o) => !(userArgumentDropped && o.inCall === 'user')).map((o) => ({ index: o.placeholder === 'm' ? 0 : o.placeholder, conditional: o.conditional, boundAround: o.boundAround ?? [] }));
  const parts = [...(receiver ? [{ index: 0, node: receiver }] : []), ...args.map((node, i) => ({ index: i + 1, node }))].map((p) => {
    const at = occurrences.filter((o) => o.index === p.index);
    return { ...p, at, pure: isPure(p.node) };
  });
  const impure = parts.filter((p) => !p.pure);
  // as the call evaluated them: each part with side effects once, unconditionally, in call order,
  // each fresh one at most once, and each pure one a part with side effects may change read after
  // exactly the parts with side effects before it in the call
  const direct = ((): boolean => {
    if (impure.some((p) => p.at.length !== 1 || p.at[0]!.conditional)) return false;
    if (parts.some((p) => p.pure && p.at.length > 1 && isFresh(p.node))) return false;
    if (impure.length === 0) return true;
    let done = 0;
    for (const o of occurrences) {
      const p = parts.find((x) => x.index === o.index);
      if (!p) continue;
      if (!p.pure) {
        if (impure[done] !== p) return false;
        done++;
      } else if (impure.filter((x) => x.index < p.index).length !== done && !isStable(p.node)) return false;
    }
    return true;
  })();
  // a part written inside one of the template's own functions must not read a name that function binds
  // (`$1.forEach((id) => $2(…))` with a callback reading an outer `id`): it would read the template's instead
  const captured = (unbound: (p: (typeof parts)[number]) => boolean): string | undefined => {
    for (const p of parts) {
      if (!unbound(p)) continue;
      const around = new Set(p.at.flatMap((o) => o.boundAround));
      if (!around.size) continue;
      const hit = [...readsFromOutside(p.node)].find((n) => around.has(n));
      if (hit !== undefined) return `\`${p.node.getText()}\` reads \`${hit}\`, which ${what} binds around it (its own \`${hit}\` would be read instead); rename it, or the template's`;
    }
    return undefined;
  };
  if (direct) {
    const problem = captured(() => true);
    return problem ? { problem } : { bound: [] };
  }
  const sideEffects = impure.map((p) => `\`${p.node.getText()}\``).join(', ') || parts.filter((p) => p.at.length > 1).map((p) => `\`${p.node.getText()}\``).join(', ');
  if (shape.suspends) return { problem: `${what} awaits or yields, so it cannot take its parts evaluated once ahead of it (${sideEffects}, evaluated as the call did); rewrite it by hand` };
  const last = impure.length ? impure[impure.length - 1]!.index : -1;
  const bound = parts.filter((p) => !p.pure || (p.at.length > 1 && isFresh(p.node)) || (p.at.length > 0 && p.index < last && !isStable(p.node)));
  // the template's other parts are written inside the arrow: a name there must not be one of its parameters
  const shadowed = parts.find((p) => !bound.includes(p) && p.at.length > 0 && /(?<![\w$])_?\$(?:m|[1-9])(?![\w$])/.test(p.node.getText()));
  if (shadowed && bound.length) return { problem: `\`${shadowed.node.getText()}\` names a \`$…\` parameter of the arrow that evaluates ${sideEffects} once ahead of ${what}; rename it` };
  // an arrow's parameter takes its argument's type without the call's context, widened: `{ kind: 'a' }`
  // that the legacy parameter typed `{ kind: 'a' | 'b' }` would be `{ kind: string }` there
  const widened = bound.find((p) => p.at.length > 0 && literalWritten(p.node) && holdsLiteral(p.node.getType(), p.node, 0));
  if (widened) return { problem: `${what} needs \`${widened.node.getText()}\` evaluated once ahead of it, and as the parameter of an arrow it would lose its literal type (${widened.node.getType().getText(widened.node)}); bind it to a const with that type first` };
  // a bound part is written as its parameter's name: only the others are written inside the template
  const problem = captured((p) => !bound.includes(p));
  if (problem) return { problem };
  return { bound: bound.map((p) => ({ index: p.index, node: p.node, used: p.at.length > 0 })) };
}

/** The names `node` reads from its surroundings (its own parameters and locals, and property names, excluded). */
function readsFromOutside(node: Node): Set<string> {
  const out = new Set<string>();
  const ids = Node.isIdentifier(node) ? [node] : node.getDescendantsOfKind(SyntaxKind.Identifier);
  const inside = (d: Node): boolean => d.getSourceFile() === node.getSourceFile() && d.getStart() >= node.getStart() && d.getEnd() <= node.getEnd();
  for (const id of ids) {
    const p = id.getParent();
    if (p && Node.isPropertyAccessExpression(p) && p.getNameNode() === id) continue;
    if (p && (Node.isPropertyAssignment(p) || Node.isMethodDeclaration(p) || Node.isPropertySignature(p) || Node.isPropertyDeclaration(p) || Node.isGetAccessorDeclaration(p) || Node.isSetAccessorDeclaration(p)) && p.getNameNode() === id) continue;
    const decls = id.getSymbol()?.getDeclarations() ?? [];
    if (decls.length > 0 && decls.every(inside)) continue;
    out.add(id.getText());
  }
  return out;
}

/** An expression written with literals whose types its context may keep (an object, array, literal, `?:`). */
function literalWritten(node: Node): boolean {
  const n = skipWrappers(node);
  return Node.isObjectLiteralExpression(n) || Node.isArrayLiteralExpression(n) || Node.isLiteralExpression(n) || Node.isTrueLiteral(n) || Node.isFalseLiteral(n) || Node.isConditionalExpression(n) || Node.isPrefixUnaryExpression(n) || Node.isTemplateExpression(n);
}

/** A literal type, or an object / array type with one in its properties (two levels). */
function holdsLiteral(t: Type, at: Node, depth: number): boolean {
  if (t.isUnion()) return t.getUnionTypes().some((u) => holdsLiteral(u, at, depth));
  if (t.isLiteral() || t.isBooleanLiteral() || t.isTemplateLiteral()) return true;
  if (depth >= 2 || !t.isObject()) return false;
  const elements = t.isTuple() ? t.getTupleElements() : t.isArray() ? [t.getArrayElementTypeOrThrow()] : t.getProperties().map((p) => p.getTypeAtLocation(at));
  return elements.some((e) => holdsLiteral(e, at, depth + 1));
}

/** An expression TypeScript itself sees as having an effect (else a comma expression's unused left side is an error, TS2695). */
function actsToTs(n: Node): boolean {
  const e = skipWrappers(n);
  if (Node.isBinaryExpression(e)) {
    const op = e.getOperatorToken().getKind();
    return op >= SyntaxKind.FirstAssignment && op <= SyntaxKind.LastAssignment;
  }
  return Node.isCallExpression(e) || Node.isNewExpression(e) || Node.isAwaitExpression(e) || Node.isYieldExpression(e) || Node.isDeleteExpression(e) || Node.isPostfixUnaryExpression(e) || (Node.isPrefixUnaryExpression(e) && (e.getOperatorToken() === SyntaxKind.PlusPlusToken || e.getOperatorToken() === SyntaxKind.MinusMinusToken));
}

/**
 * `body` (the template, written with the bound parts' parameter names, `$1` / `$m`) after the bound
 * parts evaluated once in call order: the body itself when none is bound; a comma expression
 * when the template names none of them; else an arrow called on them.
 */
export function bindTemplate(bound: readonly BoundPart[], body: string, render: (n: Node) => string): string {
  if (bound.length === 0) return body;
  if (bound.every((p) => !p.used)) return `(${bound.map((p) => (actsToTs(p.node) ? render(p.node) : `void ${asOperand(render(p.node))}`)).join(', ')}, ${body})`;
  return `((${bound.map(boundName).join(', ')}) => ${/^\s*\{/.test(body) ? `(${body})` : body})(${bound.map((p) => render(p.node)).join(', ')})`;
}

/**
 * The receiver as `$m` writes it: `super.m(…)` runs the parent's member on `this` (a template's
 * `$m` is the object the member ran on, whose own members a legacy body reached through `this`
 * too); `super` alone does not parse.
 */
export function receiverOperand(recv: Node, render: (n: Node) => string): string {
  return Node.isSuperExpression(skipWrappers(recv)) ? 'this' : asOperand(render(recv));
}

/** The text a template placeholder for a part takes: its parameter name when bound, else `text`. */
export function partText(bound: readonly BoundPart[], index: number, text: () => string | undefined): string | undefined {
  return bound.some((p) => p.index === index && p.used) ? `$${index === 0 ? 'm' : index}` : text();
}
