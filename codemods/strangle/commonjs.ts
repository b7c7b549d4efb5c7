/**
 * A CommonJS JavaScript legacy module, read for strangle: what it exports, decided by the text of
 * its top-level statements only — `module.exports = E` (the whole export: a class, an instance, a
 * function), `module.exports = { a, b: c, f() {} }` (named exports), `exports.x = E` /
 * `module.exports.x = E` (named exports). A module whose exports are decided at run time is
 * refused with the line and the reason, and strangle leaves it byte-identical: an assignment
 * inside a function, block or condition, `module.exports` assigned twice or both replaced and
 * extended, `exports` itself reassigned, `module.exports` / `exports` handed to a function
 * (`Object.assign(module.exports, …)`), a spread or computed key in the exported object, a local
 * declaration named `module` or `exports`.
 */
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';

export interface CommonJsExport {
  /** `default` for the whole export (`module.exports = E`), else the exported property name. */
  name: string;
  /** The exported expression (the type checker reads what it is). */
  node: Node;
  line: number;
  /** Where the name is written (`exports.name`, `{ name }`): what a reference search starts from. */
  nameNode?: Node;
}

export type CommonJsReading = { ok: true; whole: CommonJsExport | undefined; named: CommonJsExport[] } | { ok: false; line: number; reason: string };

/** `module.exports` (the free `module`, not a property of something else). */
function isModuleExports(n: Node): boolean {
  return Node.isPropertyAccessExpression(n) && n.getName() === 'exports' && Node.isIdentifier(n.getExpression()) && n.getExpression().getText() === 'module';
}

/** The free identifier `exports` (not a property name, not a key). */
function isExportsIdentifier(n: Node): boolean {
  if (!Node.isIdentifier(n) || n.getText() !== 'exports') return false;
  const p = n.getParent();
  if (Node.isPropertyAccessExpression(p) && p.getNameNode() === n) return false;
  if ((Node.isPropertyAssignment(p) || Node.isMethodDeclaration(p) || Node.isPropertyDeclaration(p)) && p.getNameNode() === n) return false;
  return true;
}

/** The export an assignment target names: the whole (`module.exports`), a named one (`exports.x`, `module.exports.x`), or none. */
function targetOf(left: Node): { kind: 'whole' } | { kind: 'named'; name: string } | { kind: 'exports' } | undefined {
  if (isModuleExports(left)) return { kind: 'whole' };
  if (isExportsIdentifier(left)) return { kind: 'exports' };
  if (Node.isPropertyAccessExpression(left) && (isModuleExports(left.getExpression()) || isExportsIdentifier(left.getExpression()))) return { kind: 'named', name: left.getName() };
  if (Node.isElementAccessExpression(left) && (isModuleExports(left.getExpression()) || isExportsIdentifier(left.getExpression()))) {
    const arg = left.getArgumentExpression();
    return Node.isStringLiteral(arg) ? { kind: 'named', name: arg.getLiteralValue() } : { kind: 'named', name: '' };
  }
  return undefined;
}

/** Reads the module's exports from its top-level statements, or says why they cannot be read. */
export function readCommonJs(sf: SourceFile): CommonJsReading {
  for (const name of ['module', 'exports']) {
    const local = sf.getVariableDeclaration(name) ?? sf.getFunction(name) ?? sf.getClass(name);
    if (local) return { ok: false, line: local.getStartLineNumber(), reason: `declares its own \`${name}\`: which object is exported cannot be read from the text` };
  }
  let whole: CommonJsExport | undefined;
  const named: CommonJsExport[] = [];
  const topLevel = new Set<Node>();
  for (const st of sf.getStatements()) {
    if (!Node.isExpressionStatement(st)) continue;
    const e = st.getExpression();
    if (!Node.isBinaryExpression(e) || e.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
    let t = targetOf(e.getLeft());
    let assigned: import('ts-morph').BinaryExpression = e;
    // `exports = module.exports = E`, the idiom that keeps `exports` pointing at the new object: the whole export E
    const inner = e.getRight();
    if (t?.kind === 'exports' && Node.isBinaryExpression(inner) && inner.getOperatorToken().getKind() === SyntaxKind.EqualsToken && targetOf(inner.getLeft())?.kind === 'whole') {
      topLevel.add(e.getLeft());
      assigned = inner;
      t = { kind: 'whole' };
    }
    if (!t || t.kind === 'exports') continue;
    topLevel.add(assigned.getLeft());
    const line = st.getStartLineNumber();
    if (t.kind === 'whole') {
      if (whole) return { ok: false, line, reason: `module.exports is assigned twice (lines ${whole.line} and ${line}): which one is exported is decided at run time` };
      whole = { name: 'default', node: assigned.getRight(), line };
    } else {
      if (t.name === '') return { ok: false, line, reason: 'an export with a computed name: its name cannot be read from the text' };
      if (named.some((n) => n.name === t.name)) return { ok: false, line, reason: `exports.${t.name} is assigned twice: which value is exported is decided at run time` };
      named.push({ name: t.name, node: assigned.getRight(), line, nameNode: nameNodeOf(assigned.getLeft()) });
    }
  }
  // every other mention of module.exports / exports: a read of a member is the module's own code; anything else decides the exports at run time
  for (const n of sf.getDescendants()) {
    const isMe = isModuleExports(n);
    if (!isMe && !isExportsIdentifier(n)) continue;
    if (isMe && n.getParent() && isModuleExports(n.getParent()!)) continue;
    const line = n.getStartLineNumber();
    const parent = n.getParent()!;
    // `module.exports.x` / `exports.x`: the member is what matters
    const target = (Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent)) && parent.getExpression() === n ? parent : n;
    const up = target.getParent();
    const assigned = Node.isBinaryExpression(up) && up.getLeft() === target && up.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment && up.getOperatorToken().getKind() <= SyntaxKind.LastAssignment;
    const updated = (Node.isPrefixUnaryExpression(up) || Node.isPostfixUnaryExpression(up)) && [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(up.getOperatorToken());
    const deleted = Node.isDeleteExpression(up);
    if (assigned || updated || deleted) {
      if (topLevel.has(target)) continue;
      if (target === n && !isMe) return { ok: false, line, reason: '`exports` itself is reassigned: the name no longer reaches module.exports' };
      return { ok: false, line, reason: `${target.getText()} is ${deleted ? 'deleted' : 'assigned'} inside a function, block or condition: the exports are decided at run time` };
    }
    if (target === n) {
      // module.exports / exports as a value (Object.assign(module.exports, …), passed on, returned)
      return { ok: false, line, reason: `${n.getText()} is used as a value (${up?.getText().slice(0, 60) ?? ''}): the exports may change at run time` };
    }
  }
  if (whole && named.length) return { ok: false, line: named[0]!.line, reason: `module.exports is replaced (line ${whole.line}) and extended (line ${named[0]!.line}): the frozen body and the facade could not both keep that order` };
  if (whole && Node.isObjectLiteralExpression(unwrap(whole.node))) {
    const obj = unwrap(whole.node) as import('ts-morph').ObjectLiteralExpression;
    const out: CommonJsExport[] = [];
    for (const p of obj.getProperties()) {
      const line = p.getStartLineNumber();
      if (Node.isShorthandPropertyAssignment(p)) out.push({ name: p.getName(), node: p.getNameNode(), line, nameNode: p.getNameNode() });
      else if (Node.isPropertyAssignment(p) && (Node.isIdentifier(p.getNameNode()) || Node.isStringLiteral(p.getNameNode()))) out.push({ name: Node.isStringLiteral(p.getNameNode()) ? (p.getNameNode() as import('ts-morph').StringLiteral).getLiteralValue() : p.getName(), node: p.getInitializerOrThrow(), line, nameNode: p.getNameNode() });
      else if (Node.isMethodDeclaration(p) && Node.isIdentifier(p.getNameNode())) out.push({ name: p.getName(), node: p, line, nameNode: p.getNameNode() });
      else return { ok: false, line, reason: `the exported object has a ${Node.isSpreadAssignment(p) ? 'spread' : 'computed or accessor'} member (${p.getText().slice(0, 40)}): its names cannot be read from the text` };
    }
    return { ok: true, whole: undefined, named: out };
  }
  return { ok: true, whole, named };
}

function nameNodeOf(left: Node): Node {
  return Node.isPropertyAccessExpression(left) ? left.getNameNode() : Node.isElementAccessExpression(left) ? left.getArgumentExpressionOrThrow() : left;
}

function unwrap(e: Node): Node {
  let n: Node = e;
  while (Node.isParenthesizedExpression(n)) n = (n as import('ts-morph').ParenthesizedExpression).getExpression();
  return n;
}
