/**
 * One `const hub = hubOperations()` for a stretch of rewritten code that calls `hubOperations()`
 * more than once (a template naming `$hub` twice, a `?.` guard and its chain, several rewritten
 * statements in a row), instead of a call per use.
 *
 * `hubOperations()` (canonical/privileged.ts) reads the process-wide hub at each call
 * (`getDefaultHub()`: the hub `setDefaultHub` installed, or a new one once the current one is
 * closed) and wraps it; the shim's mode flips do not reach it (rewritten code no longer goes through
 * the shim). So one value stands for several calls only where nothing that runs between them can
 * replace or close the process hub. A stretch is hoisted only when it is:
 * - statements in a row of one block (a function body, a block, the module), each an expression,
 *   `return`, `throw` or variable statement, the first call written on a line of its own statement;
 * - with no `await` / `yield` (another task could replace the hub meanwhile) and no call but
 *   `hubOperations()`, the hub operations called on it (`hubOperations().hub.getConnection(id)`) and
 *   the conversions `String`, `Number`, `Boolean`, `JSON.parse`, `JSON.stringify` (the migration
 *   assumes, as every rewrite does, that reading and converting the app's values does not act);
 *   no `new`, no tagged template, no `delete`;
 * - its first call evaluated unconditionally where it stands (not after `?:`, `&&`, `||`, `??` or
 *   `?.`): the const is then evaluated where the first call was, after only code that does not
 *   act, and `hubOperations()` is never called where the original would not have called it.
 * A call inside a nested function runs later (maybe after the hub changed): it is left as written
 * and does not count; so is a call whose object is handed on as a value or written to (each call
 * made a fresh object: one shared would carry what is set on it): only `hubOperations().member`
 * reads share the const. What stays assumed: a hub operation (and the sockets it writes to) does not
 * itself replace the process hub.
 */
import { parseSource } from '../engine/parse.js';
import { buildScopeIndex } from '../engine/scope.js';
import { sourcePunctuation } from '../engine/import-style.js';
import { detectEol, indentAt, lineStartOf } from '../engine/text.js';
import ts from '../engine/ts-api.js';
import type { Edit } from '../engine/types.js';

const CONVERSIONS = new Set(['String', 'Number', 'Boolean']);
const JSON_CONVERSIONS = new Set(['parse', 'stringify']);

const isFunctionLike = (n: ts.Node): boolean =>
  ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isClassStaticBlockDeclaration(n);

/** The edits that hoist the `hubName()` calls `ours` accepts (by offset) in `text`; none when nothing qualifies. */
export function hoistHubEdits(file: string, text: string, hubName: string, ours: (at: number) => boolean = () => true): Edit[] {
  if (!text.includes(`${hubName}()`)) return [];
  const { sf, error } = parseSource(file, text);
  if (error) return [];
  const scope = buildScopeIndex(sf);
  // the canonical binding must be the file's only one of that name (no inner declaration shadows it)
  if ((scope.declared.get(hubName) ?? []).length !== 1) return [];
  const isHubCall = (n: ts.Node): n is ts.CallExpression => ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === hubName && n.arguments.length === 0 && n.questionDotToken === undefined;
  /** A call on `hubName()` (`hubName().x(…)`, `hubName().hub.y(…)`). */
  const onHub = (callee: ts.Expression): boolean => {
    let e: ts.Expression = callee;
    while (ts.isPropertyAccessExpression(e) || ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    return isHubCall(e);
  };
  /**
   * `hubOperations().m…` read for a member, not written: each call made a fresh object, so one
   * handed on as a value (`{ hub: hubOperations() }`, `[hubOperations(), …]`) or written to stays a
   * call of its own (one shared object would carry what is set on it to the others).
   */
  const readOnly = (call: ts.CallExpression): boolean => {
    const p = call.parent;
    if (!ts.isPropertyAccessExpression(p) || p.expression !== call) return false;
    const g = p.parent;
    if (ts.isBinaryExpression(g) && g.left === p && g.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && g.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
    return !(ts.isDeleteExpression(g) || ((ts.isPrefixUnaryExpression(g) || ts.isPostfixUnaryExpression(g)) && (g.operator === ts.SyntaxKind.PlusPlusToken || g.operator === ts.SyntaxKind.MinusMinusToken)));
  };
  /** Hub calls in `st` outside nested functions, in source order; undefined when `st` may act (see the module doc). */
  const quietUses = (st: ts.Statement): ts.CallExpression[] | undefined => {
    if (!(ts.isExpressionStatement(st) || ts.isReturnStatement(st) || ts.isThrowStatement(st) || ts.isVariableStatement(st))) return undefined;
    const uses: ts.CallExpression[] = [];
    let acts = false;
    const visit = (n: ts.Node): void => {
      if (acts) return;
      if (isFunctionLike(n) || ts.isClassLike(n)) return; // built, not run here (its own calls run later: left as written)
      if (ts.isAwaitExpression(n) || ts.isYieldExpression(n) || ts.isNewExpression(n) || ts.isTaggedTemplateExpression(n) || ts.isDeleteExpression(n) || ts.isDecorator(n)) {
        acts = true;
        return;
      }
      // spreading an iterable runs its iterator (a hub operation's array or Set is the runtime's own)
      if (ts.isSpreadElement(n) && !(ts.isCallExpression(n.expression) && onHub(n.expression.expression))) {
        acts = true;
        return;
      }
      if (ts.isCallExpression(n)) {
        const c = n.expression;
        const conversion = (ts.isIdentifier(c) && CONVERSIONS.has(c.text)) || (ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'JSON' && JSON_CONVERSIONS.has(c.name.text));
        if (isHubCall(n)) {
          if (ours(n.getStart(sf)) && readOnly(n)) uses.push(n);
        }
        else if (!conversion && !onHub(c)) {
          acts = true;
          return;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(st);
    // a conversion's name bound by the file (not the global) may be anything
    if (!acts && [...CONVERSIONS, 'JSON'].some((g) => scope.declared.has(g))) acts = true;
    return acts ? undefined : uses;
  };
  /** Whether `use` runs whenever `st` does (no branch, short-circuit or `?.` between them). */
  const unconditional = (use: ts.Node, st: ts.Statement): boolean => {
    for (let n: ts.Node = use, p = n.parent; n !== st; n = p, p = p.parent) {
      if (ts.isConditionalExpression(p) && p.condition !== n) return false;
      if (ts.isBinaryExpression(p) && p.right === n && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken].includes(p.operatorToken.kind)) return false;
      // `a?.b(hubOperations())`: after the `?.`, skipped when a is nullish
      if ((ts.isCallExpression(p) || ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression !== n && ts.isOptionalChain(p)) return false;
    }
    return true;
  };

  /** Names a `const` in `block` may not take: any declared or referenced inside it (it would redeclare or shadow them), and those already hoisted there. */
  const hoistedIn = new Map<ts.Node, Set<string>>();
  const nameFor = (block: ts.Node): string => {
    // a function body's parameters (and a catch block's variable) share its scope: a const of their name redeclares them
    const range = isFunctionLike(block.parent) || ts.isCatchClause(block.parent) ? block.parent : block;
    const inside = (ids: ts.Identifier[] | undefined): boolean => (ids ?? []).some((id) => id.pos >= range.pos && id.end <= range.end);
    const mine = hoistedIn.get(block) ?? hoistedIn.set(block, new Set()).get(block)!;
    let name = 'hub';
    for (let i = 2; mine.has(name) || inside(scope.declared.get(name)) || inside(scope.references.get(name)); i++) name = `hub${i}`;
    mine.add(name);
    return name;
  };
  const eol = detectEol(text);
  const { semi } = sourcePunctuation(sf);
  const edits: Edit[] = [];

  const hoistRun = (run: ReadonlyArray<{ st: ts.Statement; uses: ts.CallExpression[] }>): void => {
    const uses = run.flatMap((r) => r.uses);
    if (uses.length < 2) return;
    const first = run.find((r) => r.uses.length > 0)!;
    const head = first.uses[0]!;
    if (!unconditional(head, first.st)) return;
    // the statement's leading comments (a TODO(ssot) marker, a doc comment) stay above it: the const goes above them
    const comments = ts.getLeadingCommentRanges(text, first.st.pos) ?? [];
    const at = lineStartOf(text, comments[0]?.pos ?? first.st.getStart(sf));
    if (text.slice(at, comments[0]?.pos ?? first.st.getStart(sf)).trim() !== '') return;
    const name = nameFor(first.st.parent);
    edits.push({ start: at, end: at, text: `${indentAt(text, first.st.getStart(sf))}const ${name} = ${hubName}()${semi ? ';' : ''}${eol}` });
    for (const u of uses) edits.push({ start: u.getStart(sf), end: u.end, text: name });
  };

  const visitBlock = (statements: ts.NodeArray<ts.Statement>): void => {
    let run: Array<{ st: ts.Statement; uses: ts.CallExpression[] }> = [];
    for (const st of statements) {
      const uses = quietUses(st);
      if (uses === undefined) {
        hoistRun(run);
        run = [];
      } else run.push({ st, uses });
    }
    hoistRun(run);
  };
  const walk = (n: ts.Node): void => {
    if (ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n)) visitBlock(n.statements);
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return edits;
}
