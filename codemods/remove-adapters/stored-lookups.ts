/**
 * A lookup's result stored in a local first (`const ws = getConnection(id); if (ws) ws.send(f)`,
 * `const s = this.getSocket(id); s?.send(x)`): chain templates (`"getConnection.send"`) apply to a
 * use of the call, so without this the stored socket kept the plain template and its sends went to
 * the socket the hub registered, bypassing the hub. Here each use of such a local is judged: when
 * the local is only the receiver of chains a template covers, plus null/undefined/truthiness tests,
 * each use becomes the lookup's call written there (the chain's template; a test the plain
 * template) and the local goes. Anything else leaves the local as it was, with the reason for the
 * sends that stay direct (plan-file.ts marks them). manifest/README.md "Chains on what a lookup returns".
 */
import { Node, SyntaxKind, type CallExpression, type Identifier, type VariableDeclaration, type VariableStatement } from 'ts-morph';
import { chainLinks, planChain, type ChainGuard, type ChainHit, type ChainLink } from './chain-guard.js';
import { isPure } from './arguments.js';

/** The lookup a local stores: how messages name it, its key in its templates table, its chains and plain template. */
export interface StoredLookupHead {
  /** `getConnection`, `Manager.getSocket`. */
  lookup: string;
  /** Its name in its templates table (`getSocket`). */
  key: string;
  chains: ReadonlyMap<string, string>;
  plain: string | undefined;
  /** A member's or static's receiver (`this`, `manager`, the class): evaluated again at each use. */
  recv?: Node;
}

/** A use of the local: the receiver of a chain a template covers, or a test of whether it holds a socket. */
export type StoredUse = { ref: Identifier; links: ChainLink[]; hit: ChainHit; guard?: ChainGuard } | { ref: Identifier; test: true };

export type StoredVerdict =
  /** Every use rewritable: the statement declaring the local goes. */
  | { uses: StoredUse[]; statement: VariableStatement }
  /** The local stays; `bypass`: its uses a chain template would cover, which still go to the stored socket directly. */
  | { why: string; bypass: Array<Extract<StoredUse, { links: ChainLink[] }>> };

const unwrap = (n: Node): Node => {
  while (Node.isParenthesizedExpression(n) || Node.isNonNullExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isTypeAssertion(n)) n = n.getExpression();
  return n;
};

/** The call a local is initialised by (through parentheses, `!` and casts), when its name is a plain identifier. */
export function storedCall(decl: VariableDeclaration): CallExpression | undefined {
  const init = decl.getInitializer();
  if (!init || !Node.isIdentifier(decl.getNameNode())) return undefined;
  const call = unwrap(init);
  return Node.isCallExpression(call) ? call : undefined;
}

const functionOf = (n: Node): Node | undefined => n.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isClassStaticBlockDeclaration(a) || Node.isSourceFile(a));

/** Where a value's truthiness alone is read: a condition, `!x`, an operand of `&&`/`||` whose value is one too or is dropped. */
function testedOnly(n: Node): boolean {
  let p = n.getParent();
  while (p && Node.isParenthesizedExpression(p)) {
    n = p;
    p = p.getParent();
  }
  if (!p) return false;
  if (Node.isIfStatement(p) || Node.isWhileStatement(p) || Node.isDoStatement(p)) return p.getExpression() === n;
  if (Node.isForStatement(p)) return p.getCondition() === n;
  if (Node.isConditionalExpression(p)) return p.getCondition() === n;
  if (Node.isPrefixUnaryExpression(p)) return p.getOperatorToken() === SyntaxKind.ExclamationToken;
  if (Node.isBinaryExpression(p)) {
    const op = p.getOperatorToken().getKind();
    if (op !== SyntaxKind.AmpersandAmpersandToken && op !== SyntaxKind.BarBarToken) return false;
    return Node.isExpressionStatement(p.getParent()) || testedOnly(p);
  }
  return false;
}

/** `x == null`, `x !== undefined`, … */
function nullishCompared(n: Node): boolean {
  const p = n.getParent();
  if (!Node.isBinaryExpression(p)) return false;
  const op = p.getOperatorToken().getKind();
  if (![SyntaxKind.EqualsEqualsToken, SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken].includes(op)) return false;
  const other = unwrap(p.getLeft() === n ? p.getRight() : p.getLeft());
  return Node.isNullLiteral(other) || (Node.isIdentifier(other) && other.getText() === 'undefined') || (Node.isVoidExpression(other) && isPure(other.getExpression()));
}

/** Whether an identifier is written where it is read (`x = …`, `x += …`, `x++`, `[x] = …`, `for (x of …)`). */
function isWrite(ref: Node): boolean {
  let n = ref;
  let p = n.getParent();
  // a destructuring assignment's target: up through the literals it is written as
  while (p && (Node.isShorthandPropertyAssignment(p) || Node.isPropertyAssignment(p) || Node.isArrayLiteralExpression(p) || Node.isObjectLiteralExpression(p) || Node.isSpreadElement(p) || Node.isParenthesizedExpression(p))) {
    n = p;
    p = p.getParent();
  }
  if (Node.isBinaryExpression(p) && p.getLeft() === n) {
    const op = p.getOperatorToken().getKind();
    return op >= SyntaxKind.FirstAssignment && op <= SyntaxKind.LastAssignment;
  }
  if ((Node.isForOfStatement(p) || Node.isForInStatement(p)) && p.getInitializer() === n) return true;
  p = ref.getParent();
  return (Node.isPrefixUnaryExpression(p) || Node.isPostfixUnaryExpression(p)) && [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(p.getOperatorToken());
}

/** The identifiers of this file bound to the same declaration as `name` (a local: no other file names it). */
function localReferences(name: Identifier): Identifier[] {
  const sym = name.getSymbol();
  if (!sym) return [];
  return name.getSourceFile().getDescendantsOfKind(SyntaxKind.Identifier).filter((i) => i !== name && i.getText() === name.getText() && i.getSymbol() === sym);
}

/**
 * Why an expression read again at each use might not give what it gave where the local was
 * declared (undefined: it gives the same): a literal, `this`, or a name never written after it is
 * bound (a const, an import, a parameter or `let` nothing assigns), or a readonly property of such
 * a value (`this.hub`). Another member read (`msg.userId`) or a call may change or act in between:
 * the person binds it to a const first.
 */
function unstable(n: Node): string | undefined {
  n = unwrap(n);
  if (Node.isThisExpression(n) || Node.isSuperExpression(n) || Node.isLiteralExpression(n) || Node.isNoSubstitutionTemplateLiteral(n) || Node.isTrueLiteral(n) || Node.isFalseLiteral(n) || Node.isNullLiteral(n)) return undefined;
  if (Node.isIdentifier(n)) {
    if (n.getText() === 'undefined') return undefined;
    const decl = n.getSymbol()?.getDeclarations()[0];
    if (!decl) return `\`${n.getText()}\` is not declared where the checker sees it`;
    if (Node.isImportSpecifier(decl) || Node.isImportClause(decl) || Node.isNamespaceImport(decl) || Node.isImportEqualsDeclaration(decl) || Node.isClassDeclaration(decl) || Node.isFunctionDeclaration(decl) || Node.isEnumDeclaration(decl)) return undefined;
    if (Node.isVariableDeclaration(decl) && decl.getVariableStatement()?.getDeclarationKind() === 'const') return undefined;
    const nameNode = (Node.isVariableDeclaration(decl) || Node.isParameterDeclaration(decl) || Node.isBindingElement(decl)) ? decl.getNameNode() : undefined;
    if (nameNode && Node.isIdentifier(nameNode) && decl.getSourceFile() === n.getSourceFile() && !localReferences(nameNode).some(isWrite)) return undefined;
    return `\`${n.getText()}\` may be reassigned`;
  }
  // `this.m`, `app.hub`: a readonly property of a value that is stable itself
  if (Node.isPropertyAccessExpression(n) && unstable(n.getExpression()) === undefined) {
    const decl = n.getNameNode().getSymbol()?.getDeclarations()[0];
    const readonly = decl !== undefined && (Node.isPropertyDeclaration(decl) || Node.isParameterDeclaration(decl) || Node.isPropertySignature(decl)) && decl.hasModifier(SyntaxKind.ReadonlyKeyword);
    if (readonly) return undefined;
  }
  return `\`${n.getText()}\` may change or act between the lookup and a use`;
}

/** The statement (or expression) a use is part of, on one line and short, for a reason to quote. */
function shown(ref: Node): string {
  const st = ref.getFirstAncestor((a) => Node.isStatement(a) || Node.isArrowFunction(a)) ?? ref;
  const t = st.getText().replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** How a use that is not a chain or a test reads, for the reason. */
function otherUse(ref: Identifier): string {
  if (isWrite(ref)) return 'reassigned';
  let n: Node = ref;
  let p = n.getParent();
  while (p && (Node.isParenthesizedExpression(p) || Node.isNonNullExpression(p) || Node.isAsExpression(p) || Node.isSatisfiesExpression(p))) {
    n = p;
    p = p.getParent();
  }
  if ((Node.isCallExpression(p) || Node.isNewExpression(p)) && p.getArguments().includes(n)) return 'passed to a function';
  if (Node.isReturnStatement(p) || Node.isArrowFunction(p)) return 'returned';
  if (Node.isBinaryExpression(p) && p.getRight() === n) return 'stored elsewhere';
  if (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) || Node.isArrayLiteralExpression(p) || Node.isSpreadElement(p)) return 'put in an object or array';
  if (Node.isVariableDeclaration(p)) return `stored in \`${p.getName()}\``;
  return `used as \`${p?.getText().slice(0, 60) ?? n.getText()}\``;
}

/**
 * The verdict on a local `decl` storing the lookup `call` (head: what the manifest says of it).
 * Undefined when no use of the local is a chain a template covers: nothing bypasses the hub that
 * would not have anyway, and the local stays as before (the plain template, or its mark).
 */
export function storedLookup(decl: VariableDeclaration, call: CallExpression, head: StoredLookupHead): StoredVerdict | undefined {
  const name = decl.getNameNode() as Identifier;
  const local = name.getText();
  const refs = localReferences(name);
  const chains: Array<Extract<StoredUse, { links: ChainLink[] }>> = [];
  const tests: StoredUse[] = [];
  const reasons: string[] = [];
  const fn = functionOf(decl);
  for (const ref of refs) {
    const at = `\`${shown(ref)}\``;
    // a use inside a nested function (a callback, a timer) may run after the local's scope is done: the lookup then may answer differently
    if (functionOf(ref) !== fn) reasons.push(`\`${local}\` is read inside a function that may run later (${at})`);
    const links = isWrite(ref) ? [] : chainLinks(ref);
    if (links.length) {
      const plan = planChain({ subject: head.lookup, key: head.key, called: true, subjectArgs: call.getArguments(), links, chains: head.chains, plain: head.plain });
      if ('problem' in plan) {
        chains.push({ ref, links, hit: plan.hit });
        reasons.push(plan.problem);
      } else if (plan.hit) chains.push({ ref, links, hit: plan.hit, ...(plan.guard ? { guard: plan.guard } : {}) });
      else reasons.push(`\`${local}\` is used as \`.${links.map((l) => l.name).join('.')}\` (${at}), which no chain template of ${head.lookup} covers`);
      continue;
    }
    if (functionOf(ref) !== fn) continue;
    if (testedOnly(ref) || nullishCompared(ref)) {
      tests.push({ ref, test: true });
      continue;
    }
    reasons.push(`\`${local}\` is ${otherUse(ref)} (${at})`);
  }
  if (chains.length === 0) return undefined;
  const bypass = chains;
  const statement = decl.getVariableStatement();
  if (!statement) reasons.unshift(`\`${local}\` is not declared by a statement of its own`);
  else {
    if (statement.isExported()) reasons.unshift(`\`${local}\` is exported`);
    if (statement.getDeclarations().length > 1) reasons.unshift(`\`${local}\` is declared with other variables in one statement`);
  }
  if (tests.length && head.plain === undefined) reasons.push(`\`${local}\` is tested, and ${head.lookup} has no plain template to test at each use`);
  if (tests.length && head.plain !== undefined && /\$(m|legacy|self)\b/.test(head.plain)) reasons.push(`\`${local}\` is tested, and ${head.lookup}'s plain template uses the receiver or the legacy object`);
  for (const part of [...(head.recv ? [head.recv] : []), ...call.getArguments()]) {
    const why = unstable(part);
    if (why) {
      reasons.push(`${why} (the lookup would run again at each use of \`${local}\`): bind it to a const first`);
      break;
    }
  }
  if (reasons.length) return { why: reasons[0]!, bypass };
  return { uses: [...chains, ...tests], statement: statement! };
}
