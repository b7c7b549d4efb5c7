/**
 * The one reader of the manifest's code templates: member templates (`classes[].members`,
 * placeholders `$1`..`$9`, `$ctx`, `$hub`, `$user(x)`, `$run(x)`, `$legacy`, `$self`) and adapter
 * method templates (`adapters[].methods`, `$m` and `$1`..`$9`). strangle expands them into the
 * shim's canonical-mode functions, remove-adapters into the call sites' canonical code: both
 * call `expandTemplate` with their own binding, so the shim and the static rewrite read one
 * table the same way.
 *
 * A template is parsed as one TypeScript expression (manifest/expression.ts refuses anything
 * else when the manifest loads); placeholders are identifiers, so text inside string literals
 * and property names (`x.$1`) is never touched.
 */
import type ts from 'typescript';
import { typescript as tsApi } from './ts-load.js';

/**
 * What `$hub` becomes in code: the canonical module's privileged hub operations, which a phase
 * imports under this name (canonical/privileged.ts), so a manifest using `$hub` lists it in
 * canonical.exports.
 */
export const HUB_EXPORT = 'hubOperations';

/** Whether a template reads `$hub` (the placeholder check's own pattern: an identifier, not `${`). */
export const usesHub = (template: string): boolean => /\$hub(?![\w$])/.test(template);

export type PlaceholderName = 'ctx' | 'hub' | 'user' | 'run' | 'legacy' | 'self' | 'm';
const NAMED = new Set<string>(['ctx', 'hub', 'user', 'run', 'legacy', 'self', 'm']);

export interface TemplateBinding {
  /** `$n` (1-based); undefined when the call has no such argument. */
  arg(n: number): string | undefined;
  /** A named placeholder used as a value (`$hub`, `$ctx`, …; `$user` / `$run` when not called). */
  placeholder(name: PlaceholderName): string;
  /** `$user(x)` / `$run(x)`: `argument` is x already expanded. Default: `placeholder(name)(argument)`. */
  call?(name: 'user' | 'run', argument: string): string;
  /**
   * Wrap an argument in parentheses where its text would bind differently (`$1.userId` with
   * `a ? b : c`). Off for the shim (its arguments are parameter names).
   */
  parenthesize?: boolean;
  /**
   * The quote the template's own string literals are written in (the file's habit, so generated
   * code reads as hand-made); undefined keeps them as the manifest writes them. A literal holding
   * that quote keeps its own (no escape added), as Prettier does.
   */
  quote?: "'" | '"';
  /**
   * A free identifier of the template (not a placeholder, not a property name) under another
   * name in the target file, e.g. the canonical factory imported under an alias; undefined keeps it.
   */
  identifier?(name: string): string | undefined;
}

export interface TemplateUses {
  /** Named placeholders the template uses. */
  names: Set<PlaceholderName>;
  /** How often each `$n` occurs. */
  args: Map<number, number>;
  /** The highest `$n`. */
  arity: number;
}

interface Parsed {
  sf: ts.SourceFile;
  root: ts.Expression;
}

const cache = new Map<string, Parsed>();

function parse(template: string): Parsed {
  let p = cache.get(template);
  if (!p) {
    const t = tsApi();
    // parenthesised like manifest/expression.ts: an object-literal template is an expression
    const sf = t.createSourceFile('template.ts', `(${template})`, t.ScriptTarget.Latest, true, t.ScriptKind.TS);
    const st = sf.statements[0];
    if (!st || !t.isExpressionStatement(st) || !t.isParenthesizedExpression(st.expression)) throw new Error(`template is not one expression: ${JSON.stringify(template)}`);
    p = { sf, root: st.expression.expression };
    cache.set(template, p);
  }
  return p;
}

/** A property name (`x.name`, `{ name: … }`, `A.name` in a type): never a placeholder or a binding. */
function isPropertyName(t: typeof ts, node: ts.Identifier): boolean {
  const p = node.parent;
  return (t.isPropertyAccessExpression(p) && p.name === node) || (t.isPropertyAssignment(p) && p.name === node) || (t.isQualifiedName(p) && p.right === node);
}

/** `$n` → n, a named placeholder → its name, else undefined (property names are not placeholders). */
function placeholderOf(t: typeof ts, node: ts.Node): number | PlaceholderName | undefined {
  if (!t.isIdentifier(node)) return undefined;
  const m = /^\$([1-9]|\w+)$/.exec(node.text);
  if (!m || isPropertyName(t, node)) return undefined;
  if (/^[1-9]$/.test(m[1]!)) return Number(m[1]);
  return NAMED.has(m[1]!) ? (m[1] as PlaceholderName) : undefined;
}

function calledPlaceholder(t: typeof ts, node: ts.Node): 'user' | 'run' | undefined {
  if (!t.isCallExpression(node)) return undefined;
  const p = placeholderOf(t, node.expression);
  return p === 'user' || p === 'run' ? p : undefined;
}

/** What a template uses (placeholders and argument counts). */
export function templateUses(template: string): TemplateUses {
  const t = tsApi();
  const { root } = parse(template);
  const uses: TemplateUses = { names: new Set(), args: new Map(), arity: 0 };
  const visit = (n: ts.Node): void => {
    const p = placeholderOf(t, n);
    if (typeof p === 'number') {
      uses.args.set(p, (uses.args.get(p) ?? 0) + 1);
      uses.arity = Math.max(uses.arity, p);
    } else if (p) uses.names.add(p);
    t.forEachChild(n, visit);
  };
  visit(root);
  return uses;
}

/** One place a template names `$m` or `$n`, in source order (which is JavaScript's evaluation order for expressions). */
export interface PlaceholderOccurrence {
  placeholder: number | 'm';
  /**
   * Evaluated only on some paths, or later, or more than once: a `?:` branch, the right of
   * `&&`/`||`/`??`, after a `?.`, inside a function.
   */
  conditional: boolean;
  /** Inside `$user(…)` / `$run(…)`: a binding may not write that argument (remove-adapters' `$user(x)` is the factory on `$ctx`). */
  inCall?: 'user' | 'run';
  /**
   * Names the template's own functions bind around this place (`id`, `i` in
   * `$1.forEach((id, i) => $2(…))`): an argument written here that reads such a name from its
   * surroundings would read the template's binding instead.
   */
  boundAround?: string[];
}

/** The names a parameter list binds (through destructuring too). */
function parameterNames(t: typeof ts, fn: ts.SignatureDeclaration): string[] {
  const out: string[] = [];
  const add = (b: ts.BindingName): void => {
    if (t.isIdentifier(b)) out.push(b.text);
    else for (const e of b.elements) if (!t.isOmittedExpression(e)) add(e.name);
  };
  for (const p of fn.parameters) add(p.name);
  return out;
}

/** Where a template evaluates its arguments and receiver, and whether it awaits or yields (then it cannot become an arrow's body). */
export function templateShape(template: string): { occurrences: PlaceholderOccurrence[]; suspends: boolean } {
  const t = tsApi();
  const { root } = parse(template);
  const occurrences: PlaceholderOccurrence[] = [];
  let suspends = false;
  const visit = (n: ts.Node, conditional: boolean, inCall: 'user' | 'run' | undefined, bound: readonly string[]): void => {
    if (t.isAwaitExpression(n) || t.isYieldExpression(n)) suspends = true;
    const p = placeholderOf(t, n);
    if (typeof p === 'number' || p === 'm') occurrences.push({ placeholder: p, conditional, ...(inCall ? { inCall } : {}), ...(bound.length ? { boundAround: [...bound] } : {}) });
    const called = calledPlaceholder(t, n);
    if (called) {
      for (const a of (n as ts.CallExpression).arguments) visit(a, conditional, called, bound);
      return;
    }
    if (t.isFunctionLike(n)) {
      const inner = [...bound, ...parameterNames(t, n)];
      return void t.forEachChild(n, (c) => visit(c, true, inCall, inner));
    }
    if (t.isConditionalExpression(n)) {
      visit(n.condition, conditional, inCall, bound);
      visit(n.whenTrue, true, inCall, bound);
      visit(n.whenFalse, true, inCall, bound);
      return;
    }
    if (t.isBinaryExpression(n) && [t.SyntaxKind.AmpersandAmpersandToken, t.SyntaxKind.BarBarToken, t.SyntaxKind.QuestionQuestionToken, t.SyntaxKind.AmpersandAmpersandEqualsToken, t.SyntaxKind.BarBarEqualsToken, t.SyntaxKind.QuestionQuestionEqualsToken].includes(n.operatorToken.kind)) {
      visit(n.left, conditional, inCall, bound);
      visit(n.right, true, inCall, bound);
      return;
    }
    // `a?.b.c(x)`: what follows the `?.` runs only when `a` is not nullish
    if (t.isOptionalChain(n)) {
      visit(n.expression, conditional, inCall, bound);
      t.forEachChild(n, (c) => c !== n.expression && visit(c, true, inCall, bound));
      return;
    }
    t.forEachChild(n, (c) => visit(c, conditional, inCall, bound));
  };
  visit(root, false, undefined, []);
  return { occurrences, suspends };
}

/**
 * The names a template reads from its surroundings: identifiers that are neither placeholders, nor
 * property names, nor bound inside the template (an arrow's parameters). What a phase must import
 * (the canonical exports among them) or find in scope.
 */
export function templateFreeNames(template: string): Set<string> {
  const t = tsApi();
  const { root } = parse(template);
  const names = new Set<string>();
  const bound = new Set<string>();
  const visit = (n: ts.Node): void => {
    if ((t.isParameter(n) || t.isBindingElement(n)) && t.isIdentifier(n.name)) bound.add(n.name.text);
    if (t.isIdentifier(n) && placeholderOf(t, n) === undefined && !isPropertyName(t, n) && !/^\$/.test(n.text)) {
      const p = n.parent;
      const declared = (t.isParameter(p) || t.isBindingElement(p)) && p.name === n;
      if (!declared) names.add(n.text);
    }
    t.forEachChild(n, visit);
  };
  visit(root);
  for (const b of bound) names.delete(b);
  names.delete('undefined');
  return names;
}

const LITERAL = /^(['"`]).*\1$|^-?\d[\d_.]*$|^(true|false|null)$/s;

/** Whether `text` can stand as the object of `text.x` (and so anywhere an operand can) unparenthesised. */
export function isOperandSafe(text: string): boolean {
  const t = tsApi();
  const sf = t.createSourceFile('r.ts', `${text}.x;`, t.ScriptTarget.Latest, true);
  const st = sf.statements[0];
  return sf.statements.length === 1 && st !== undefined && t.isExpressionStatement(st) && t.isPropertyAccessExpression(st.expression) && st.expression.expression.getText(sf) === text.trim();
}

/** `text` parenthesised unless it is safe as an operand. */
export function asOperand(text: string): string {
  return isOperandSafe(text) ? text : `(${text})`;
}

/** Positions where any expression fits without parentheses (an argument, an element, a property value). */
function listPosition(t: typeof ts, node: ts.Node): boolean {
  const p = node.parent;
  return t.isCallExpression(p) ? p.expression !== node : t.isNewExpression(p) ? p.expression !== node : t.isArrayLiteralExpression(p) || t.isPropertyAssignment(p) || t.isParenthesizedExpression(p) || t.isSpreadElement(p) || t.isSpreadAssignment(p) || t.isTemplateSpan(p);
}

/**
 * The template with every placeholder replaced through `b`. `$n ?? d`: a missing argument
 * takes the default, a literal one keeps its value (either way `x ?? d` would have a dead
 * operand, which tsc reports); any other missing `$n` is `undefined`.
 */
export function expandTemplate(template: string, b: TemplateBinding): string {
  const t = tsApi();
  const { sf, root } = parse(template);
  const text = sf.text;
  // an argument written as `undefined` is a missing one (`f(a, undefined, c)`): the same value, and
  // `undefined ?? d` would be a dead operand
  const given = (n: number): string | undefined => {
    const a = b.arg(n);
    return a?.trim() === 'undefined' ? undefined : a;
  };
  const arg = (n: number, at: ts.Node): string => {
    const a = given(n);
    if (a === undefined) return 'undefined';
    return b.parenthesize && !listPosition(t, at) ? asOperand(a) : a;
  };
  const isMissingArg = (n: ts.Node): boolean => {
    const p = placeholderOf(t, n);
    return typeof p === 'number' && given(p) === undefined;
  };
  const render = (node: ts.Node): string => {
    const p = placeholderOf(t, node);
    if (typeof p === 'number') return arg(p, node);
    if (p) return b.placeholder(p);
    const called = calledPlaceholder(t, node);
    if (called) {
      const argument = (node as ts.CallExpression).arguments.map(render).join(', ');
      return b.call ? b.call(called, argument) : `${b.placeholder(called)}(${argument})`;
    }
    // `$hub.count($1)` called without its optional argument: `hub.count()`, not `hub.count(undefined)`
    if (t.isCallExpression(node) && !node.typeArguments && node.arguments.length > 0) {
      let keep = node.arguments.length;
      while (keep > 0 && isMissingArg(node.arguments[keep - 1]!)) keep--;
      if (keep < node.arguments.length) return `${render(node.expression)}${node.questionDotToken ? '?.' : ''}(${node.arguments.slice(0, keep).map(render).join(', ')})`;
    }
    if (t.isBinaryExpression(node) && node.operatorToken.kind === t.SyntaxKind.QuestionQuestionToken) {
      const left = placeholderOf(t, node.left);
      if (typeof left === 'number') {
        const a = given(left);
        if (a === undefined) return render(node.right);
        if (LITERAL.test(a.trim())) return arg(left, node);
      }
    }
    if (b.quote !== undefined && t.isStringLiteral(node)) return requoted(node.getText(sf), node.text, b.quote);
    if (b.identifier && t.isIdentifier(node) && !isPropertyName(t, node)) {
      const renamed = b.identifier(node.text);
      // a shorthand property keeps its key: `{ f }` with f renamed is `{ f: g }`
      if (renamed !== undefined && renamed !== node.text) return t.isShorthandPropertyAssignment(node.parent) ? `${node.text}: ${renamed}` : renamed;
    }
    let out = '';
    let pos = node.getStart(sf);
    t.forEachChild(node, (child) => {
      out += text.slice(pos, child.getStart(sf)) + render(child);
      pos = child.end;
    });
    return out + text.slice(pos, node.end);
  };
  // a comment leading the template is kept: in JavaScript a cast is one (`/** @type {T} */ (x)`),
  // and rendering from the root's first token dropped it (w39011651/MultimediaSystemDemo)
  const lead = text.slice(root.pos, root.getStart(sf)).trim();
  return lead ? `${lead} ${render(root)}` : render(root);
}

/** `raw` (a string literal's text, value `value`) written with `quote`, unless it already is or the value holds that quote. */
function requoted(raw: string, value: string, quote: "'" | '"'): string {
  if (raw[0] === quote || value.includes(quote)) return raw;
  // JSON's escaping is a valid double-quoted literal; in single quotes `"` needs no escape (and `'` is not in it)
  const json = JSON.stringify(value);
  return quote === '"' ? json : `'${json.slice(1, -1).replace(/\\"/g, '"')}'`;
}

/** An adapter method template (`$m`, `$1`..`$9`) filled in with the receiver and argument texts, its literals in `quote` (see TemplateBinding). */
export function fillTemplate(template: string, m: string, args: readonly string[], quote?: "'" | '"'): string {
  return expandTemplate(template, { arg: (n) => args[n - 1], placeholder: (p) => (p === 'm' ? m : `$${p}`), ...(quote ? { quote } : {}) });
}

function parameters(names: string[], used: ReadonlySet<string>): string {
  // an unused parameter is `_`-prefixed, so the generated code passes noUnusedParameters
  return names.map((p) => (used.has(p) ? p : `_${p}`)).join(', ');
}

/**
 * An adapter method template as a function of the wrapped manager and the call's arguments:
 * `$m.emit('agent_started', { agentName: $1 })` → `(m, a1) => m.emit('agent_started', { agentName: a1 })`.
 */
export function templateToMapping(template: string, quote?: "'" | '"'): string {
  const uses = templateUses(template);
  const used = new Set<string>([...(uses.names.has('m') ? ['m'] : []), ...[...uses.args.keys()].map((n) => `a${n}`)]);
  const body = expandTemplate(template, { arg: (n) => `a${n}`, placeholder: (p) => (p === 'm' ? 'm' : `$${p}`), ...(quote ? { quote } : {}) });
  return `(${parameters(['m', ...Array.from({ length: uses.arity }, (_, i) => `a${i + 1}`)], used)}) => ${body}`;
}

/**
 * A class member template as a function of the shim's binding (`CanonicalBinding`, `self`):
 * `$hub.connect($1, $2)` → `(self, a1, a2) => self.hub.connect(a1, a2)`. Methods take the legacy
 * member's parameters, properties only the binding.
 */
export function memberTemplateToFunction(template: string, kind: 'method' | 'property', arity = 0, quote?: "'" | '"'): string {
  const uses = templateUses(template);
  const max = Math.max(arity, uses.arity);
  const selfName: Record<PlaceholderName, string> = { self: 'self', ctx: 'self.context', hub: 'self.hub', user: 'self.user', run: 'self.run', legacy: 'self.legacy', m: '$m' };
  const body = expandTemplate(template, { arg: (n) => `a${n}`, placeholder: (p) => selfName[p], ...(quote ? { quote } : {}) });
  const used = new Set<string>([...(uses.names.size ? ['self'] : []), ...[...uses.args.keys()].map((n) => `a${n}`)]);
  const names = kind === 'property' ? ['self'] : ['self', ...Array.from({ length: max }, (_, i) => `a${i + 1}`)];
  // an object literal body needs parentheses; a template may already have them
  const expr = /^\s*\{/.test(body) ? `(${body})` : body;
  return `(${parameters(names, used)}) => ${expr}`;
}
