/**
 * A CommonJS JavaScript legacy module's exports, read from the text of its top-level statements
 * only — `module.exports = E` (the whole export: a class, an instance, a function),
 * `module.exports = { a, b: c, f() {} }` (named exports), `exports.x = E` / `module.exports.x = E`
 * (named exports). A module whose exports are decided at run time is refused with the line and the
 * reason: an assignment inside a function, block or condition, `module.exports` assigned twice or
 * both replaced and extended, `exports` itself reassigned, `module.exports` / `exports` handed to a
 * function (`Object.assign(module.exports, …)`), a spread or computed key in the exported object, a
 * local declaration named `module` or `exports`.
 *
 * Syntax only, and written against a TypeScript API passed in: strangle reads the module on
 * ts-morph's bundled TypeScript (another version, whose SyntaxKind numbers may differ: commonjs.ts),
 * discover and init on the toolkit's own (refusal.ts). One decision, whoever asks.
 */
import type * as TS from 'typescript';

export interface CommonJsExportAt {
  /** `default` for the whole export (`module.exports = E`), else the exported property name. */
  name: string;
  /** The exported expression. */
  node: TS.Node;
  line: number;
  /** Where the name is written (`exports.name`, `{ name }`): what a reference search starts from. */
  nameNode?: TS.Node;
}

export type CommonJsShape = { ok: true; whole: CommonJsExportAt | undefined; named: CommonJsExportAt[] } | { ok: false; line: number; reason: string };

/** A TypeScript API (the toolkit's, or ts-morph's bundled one). */
export type TsApi = Omit<typeof TS, 'default'>;

type Target = { kind: 'whole' } | { kind: 'named'; name: string } | { kind: 'exports' };

/**
 * Reads the module's exports from its top-level statements, or says why they cannot be read. `sf` needs parent pointers.
 * `wholeObject`: an exported object literal stays the whole export (`default`) rather than one named export per
 * property — for an object manager the manifest describes as `"class": "default"` (its facade routes the object).
 */
export function readCommonJsShape(t: TsApi, sf: TS.SourceFile, wholeObject = false): CommonJsShape {
  const lineOf = (n: TS.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const textOf = (n: TS.Node): string => n.getText(sf);
  /** `module.exports` (the free `module`, not a property of something else). */
  const isModuleExports = (n: TS.Node): boolean => t.isPropertyAccessExpression(n) && n.name.text === 'exports' && t.isIdentifier(n.expression) && n.expression.text === 'module';
  /** The free identifier `exports` (not a property name, not a key). */
  const isExportsIdentifier = (n: TS.Node): boolean => {
    if (!t.isIdentifier(n) || n.text !== 'exports') return false;
    const p = n.parent;
    if (t.isPropertyAccessExpression(p) && p.name === n) return false;
    if ((t.isPropertyAssignment(p) || t.isMethodDeclaration(p) || t.isPropertyDeclaration(p)) && p.name === n) return false;
    return true;
  };
  /** The export an assignment target names: the whole (`module.exports`), a named one (`exports.x`, `module.exports.x`), or none. */
  const targetOf = (left: TS.Node): Target | undefined => {
    if (isModuleExports(left)) return { kind: 'whole' };
    if (isExportsIdentifier(left)) return { kind: 'exports' };
    if (t.isPropertyAccessExpression(left) && (isModuleExports(left.expression) || isExportsIdentifier(left.expression))) return { kind: 'named', name: left.name.text };
    if (t.isElementAccessExpression(left) && (isModuleExports(left.expression) || isExportsIdentifier(left.expression))) {
      const arg = left.argumentExpression;
      return t.isStringLiteral(arg) ? { kind: 'named', name: arg.text } : { kind: 'named', name: '' };
    }
    return undefined;
  };
  const isAssignment = (e: TS.Node): e is TS.BinaryExpression => t.isBinaryExpression(e) && e.operatorToken.kind === t.SyntaxKind.EqualsToken;

  for (const name of ['module', 'exports']) {
    const local = topLevelDeclaration(t, sf, name);
    if (local) return { ok: false, line: lineOf(local), reason: `declares its own \`${name}\`: which object is exported cannot be read from the text` };
  }
  let whole: CommonJsExportAt | undefined;
  const named: CommonJsExportAt[] = [];
  const topLevel = new Set<TS.Node>();
  for (const st of sf.statements) {
    if (!t.isExpressionStatement(st)) continue;
    const e = st.expression;
    if (!isAssignment(e)) continue;
    let target = targetOf(e.left);
    let assigned: TS.BinaryExpression = e;
    // `exports = module.exports = E`, the idiom that keeps `exports` pointing at the new object: the whole export E
    const inner = e.right;
    if (target?.kind === 'exports' && isAssignment(inner) && targetOf(inner.left)?.kind === 'whole') {
      topLevel.add(e.left);
      assigned = inner;
      target = { kind: 'whole' };
    }
    if (!target || target.kind === 'exports') continue;
    topLevel.add(assigned.left);
    const line = lineOf(st);
    if (target.kind === 'whole') {
      if (whole) return { ok: false, line, reason: `module.exports is assigned twice (lines ${whole.line} and ${line}): which one is exported is decided at run time` };
      whole = { name: 'default', node: assigned.right, line };
    } else {
      const name = target.name;
      if (name === '') return { ok: false, line, reason: 'an export with a computed name: its name cannot be read from the text' };
      if (named.some((n) => n.name === name)) return { ok: false, line, reason: `exports.${name} is assigned twice: which value is exported is decided at run time` };
      named.push({ name, node: assigned.right, line, nameNode: nameNodeOf(t, assigned.left) });
    }
  }
  // every other mention of module.exports / exports: a read of a member is the module's own code; anything else decides the exports at run time
  const mention = (n: TS.Node): { line: number; reason: string } | undefined => {
    const isMe = isModuleExports(n);
    if (!isMe && !isExportsIdentifier(n)) return undefined;
    const line = lineOf(n);
    const parent = n.parent;
    // `module.exports.x` / `exports.x`: the member is what matters
    const target = (t.isPropertyAccessExpression(parent) || t.isElementAccessExpression(parent)) && parent.expression === n ? parent : n;
    const up = target.parent;
    const op = t.isBinaryExpression(up) && up.left === target ? up.operatorToken.kind : undefined;
    const assigned = op !== undefined && op >= t.SyntaxKind.FirstAssignment && op <= t.SyntaxKind.LastAssignment;
    const updated = (t.isPrefixUnaryExpression(up) || t.isPostfixUnaryExpression(up)) && (up.operator === t.SyntaxKind.PlusPlusToken || up.operator === t.SyntaxKind.MinusMinusToken);
    const deleted = t.isDeleteExpression(up);
    if (assigned || updated || deleted) {
      if (topLevel.has(target)) return undefined;
      if (target === n && !isMe) return { line, reason: '`exports` itself is reassigned: the name no longer reaches module.exports' };
      return { line, reason: `${textOf(target)} is ${deleted ? 'deleted' : 'assigned'} inside a function, block or condition: the exports are decided at run time` };
    }
    // module.exports / exports as a value (Object.assign(module.exports, …), passed on, returned)
    if (target === n) return { line, reason: `${textOf(n)} is used as a value (${up ? textOf(up).slice(0, 60) : ''}): the exports may change at run time` };
    return undefined;
  };
  const visit = (n: TS.Node): { line: number; reason: string } | undefined => mention(n) ?? t.forEachChild(n, visit);
  const found = visit(sf);
  if (found) return { ok: false, ...found };
  if (whole && named.length) return { ok: false, line: named[0]!.line, reason: `module.exports is replaced (line ${whole.line}) and extended (line ${named[0]!.line}): the frozen body and the facade could not both keep that order` };
  const obj = whole ? unwrap(t, whole.node) : undefined;
  if (obj && t.isObjectLiteralExpression(obj) && !wholeObject) {
    const out: CommonJsExportAt[] = [];
    for (const p of obj.properties) {
      const line = lineOf(p);
      if (t.isShorthandPropertyAssignment(p)) out.push({ name: p.name.text, node: p.name, line, nameNode: p.name });
      else if (t.isPropertyAssignment(p) && (t.isIdentifier(p.name) || t.isStringLiteral(p.name))) out.push({ name: p.name.text, node: p.initializer, line, nameNode: p.name });
      else if (t.isMethodDeclaration(p) && t.isIdentifier(p.name)) out.push({ name: p.name.text, node: p, line, nameNode: p.name });
      else return { ok: false, line, reason: `the exported object has a ${t.isSpreadAssignment(p) ? 'spread' : 'computed or accessor'} member (${textOf(p).slice(0, 40)}): its names cannot be read from the text` };
    }
    return { ok: true, whole: undefined, named: out };
  }
  return { ok: true, whole, named };
}

/** A top-level `var`/`let`/`const`, function or class declaring `name`. */
function topLevelDeclaration(t: TsApi, sf: TS.SourceFile, name: string): TS.Node | undefined {
  for (const st of sf.statements) {
    if (t.isVariableStatement(st)) {
      const d = st.declarationList.declarations.find((x) => t.isIdentifier(x.name) && x.name.text === name);
      if (d) return d;
    }
    if ((t.isFunctionDeclaration(st) || t.isClassDeclaration(st)) && st.name?.text === name) return st;
  }
  return undefined;
}

function nameNodeOf(t: TsApi, left: TS.Node): TS.Node {
  return t.isPropertyAccessExpression(left) ? left.name : t.isElementAccessExpression(left) ? left.argumentExpression : left;
}

function unwrap(t: TsApi, e: TS.Node): TS.Node {
  let n = e;
  while (t.isParenthesizedExpression(n)) n = n.expression;
  return n;
}
