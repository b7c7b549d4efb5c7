/**
 * Whether a call's arguments can go into a template (a member, adapter-method, free-function or
 * construction template) as they are. One answer for all of them: a template runs each argument it
 * names as often as it names it, so one it repeats runs twice and one it leaves out never runs —
 * either changes what the code does unless the argument has no side effects.
 */
import { Node } from 'ts-morph';
import type { TemplateUses } from '../../manifest/templates.js';

/** A receiver or argument that can be dropped or repeated without changing behaviour: names, `this`, property reads, literals. */
export function isPure(n: Node): boolean {
  if (Node.isParenthesizedExpression(n) || Node.isNonNullExpression(n) || Node.isAsExpression(n)) return isPure(n.getExpression());
  if (Node.isIdentifier(n) || Node.isThisExpression(n) || Node.isLiteralExpression(n) || Node.isTrueLiteral(n) || Node.isFalseLiteral(n) || Node.isNullLiteral(n)) return true;
  if (Node.isPropertyAccessExpression(n)) return isPure(n.getExpression());
  return false;
}

/**
 * Why `args` cannot be substituted into a template that `uses` them as described, or undefined:
 * a spread argument (the template needs each one), an argument the template uses more than once
 * or not at all that may have side effects. `call` names the call (`Hub.send`), `template` the
 * template (`the template of Hub.send`, `constructions[0].replacement`).
 */
export function argumentProblem(uses: TemplateUses, args: readonly Node[], call: string, template: string, { bindsRepeated = false } = {}): string | undefined {
  if (args.some((a) => Node.isSpreadElement(a))) return `${call} is called with a spread argument; ${template} needs each argument`;
  // (a caller that evaluates repeated arguments once, argumentsToBind, has no repeat problem)
  if (!bindsRepeated) for (const [n, count] of uses.args) {
    const a = args[n - 1];
    if (a && count > 1 && !isPure(a)) return `${template} uses argument ${n} ${count} times and \`${a.getText()}\` may have side effects; bind it to a const first`;
  }
  const i = args.findIndex((a, i) => !uses.args.has(i + 1) && !isPure(a));
  if (i >= 0) return `${template} does not use argument ${i + 1}, and \`${args[i]!.getText()}\` may have side effects; bind it to a const first`;
  return undefined;
}

/**
 * The arguments (1-based) to evaluate once, ahead of a template that repeats one with side effects:
 * then every argument with side effects, so they still run once each and in their order (the
 * template is called as an arrow on them: `(($1) => m.emit(…, { a: $1, b: $1 }))(plan(x))`).
 * Empty when no argument with side effects is repeated.
 */
export function argumentsToBind(uses: TemplateUses, args: readonly Node[]): number[] {
  const repeated = [...uses.args].some(([n, count]) => count > 1 && args[n - 1] !== undefined && !isPure(args[n - 1]!));
  return repeated ? args.flatMap((a, i) => (isPure(a) || !uses.args.has(i + 1) ? [] : [i + 1])) : [];
}
