/**
 * A `?.` inside a chain template — one rule for a field's chains (`classes[].members["sockets.get.send"]`)
 * and a lookup's (`functions[].templates["getConnection.send"]`, a class's `getSocket.send`, a
 * static's): manifest/README.md "`?.` in a chain template".
 */
import { Node, ts as morphTs, type CallExpression, type PropertyAccessExpression } from 'ts-morph';
import { longestTemplatedChain } from '../../manifest/field-members.js';
import { isPure } from './arguments.js';
import { mayBeAbsent, mayBeNullish } from './members.js';

/** One member read on a field's value (or on what a lookup returns): `.get` in `this.sockets.get(id)!.send(x)`, its call, and the node the link ends at. */
export interface ChainLink {
  name: string;
  access: PropertyAccessExpression;
  call?: CallExpression;
  end: CallExpression | PropertyAccessExpression;
}

/**
 * The members read on the value of `start` in a row (`this.sockets.get(id)!.send(x)` → get, send;
 * `getConnection(id)?.send(x)` → send): a link is a property read on the previous link's value
 * (through `!`, parentheses and casts — `as`, `satisfies`, `<T>x` —, which change no value), called
 * or not, `?.` or not (planChain decides what a `?.` allows). An element access or anything else
 * ends the chain.
 */
export function chainLinks(start: Node): ChainLink[] {
  const links: ChainLink[] = [];
  let cur: Node = start;
  for (;;) {
    let p = cur.getParent();
    while (p && (Node.isNonNullExpression(p) || Node.isParenthesizedExpression(p) || Node.isAsExpression(p) || Node.isSatisfiesExpression(p) || Node.isTypeAssertion(p))) {
      cur = p;
      p = p.getParent();
    }
    if (!p || !Node.isPropertyAccessExpression(p) || p.getExpression() !== cur) return links;
    const q = p.getParent();
    const call = q && Node.isCallExpression(q) && q.getExpression() === p ? q : undefined;
    links.push({ name: p.getName(), access: p, ...(call ? { call } : {}), end: call ?? p });
    cur = call ?? p;
  }
}

/** The test a crossed `?.` keeps: the template giving the value tested (G), and the call arguments it reads. */
export interface ChainGuard {
  template: string;
  args: Node[];
}

/** The templated chain a use takes (T, `length` links) and, when T crosses a `?.`, the guard testing G first. */
export interface ChainHit {
  length: number;
  template: string;
}

export type ChainPlan =
  | { hit?: ChainHit; guard?: ChainGuard }
  /** `hit`: T, which this use cannot take; `untemplated`: for want of G (the lookup's commit counts these). */
  | { problem: string; hit: ChainHit; untemplated?: true };

/**
 * One chain's plan. A `?.` that tests something (strict null checks off, or a value that may be
 * null or undefined; an always-present member's `?.(` and a `?.` on a never-nullish value test
 * nothing and are crossed) means the legacy code ran the rest — and evaluated its arguments — only
 * when the value was there. T (the longest template along the chain) may cross one such `?.` when
 * G (the template of the chain up to it: the plain template, a field's whole one, or a shorter
 * chain's) exists: `(G == null ? undefined : T)`, so the send still goes through the hub and only
 * when the legacy one did. When no template crosses it, the chain stops at its template (G, or a
 * shorter one) and `?.rest` stays on that. Otherwise a problem: T across a `?.` with no G, more than
 * one `?.` crossed, an argument read by both G and T that may act (it would run twice), G using
 * the receiver or the legacy object, or an optional chain going on past T. A `?.(` on a member that
 * may be absent tests the member, which no guard says: no template crosses it.
 *
 * `subject`: how messages name what the chain is read on (`getSocket`, `Registry.links`), `key`:
 * its name in its templates table (`links`: `"links.get"`), `called`: whether it is a lookup's call
 * (`getSocket(…)`), `subjectArgs` its arguments (`$1`… first).
 */
export function planChain(o: { subject: string; key: string; called: boolean; subjectArgs: readonly Node[]; links: readonly ChainLink[]; chains: ReadonlyMap<string, string>; plain: string | undefined }): ChainPlan {
  const { links, chains } = o;
  if (links.length === 0) return {};
  const opts = links[0]!.access.getProject().getCompilerOptions();
  const strictNull = opts.strictNullChecks ?? opts.strict ?? false;
  const testsValue = (l: ChainLink): boolean => l.access.hasQuestionDotToken() && (!strictNull || mayBeNullish(l.access.getExpression()));
  // a `?.(` at link i tests the member itself: the chain stops before it (its read and call stay)
  const absentAt = links.findIndex((l) => l.call?.hasQuestionDotToken() === true && (!strictNull || mayBeAbsent(l.access)));
  const reach = absentAt < 0 ? links.length : absentAt;
  const hit = longestTemplatedChain(chains, links.slice(0, reach).map((l) => l.name));
  if (!hit) return {};
  const at = links.slice(0, hit.length).flatMap((l, i) => (testsValue(l) ? [i] : []));
  if (at.length === 0) return { hit };
  const head = o.called ? `${o.subject}(…)` : o.subject;
  const whole = `${head}.${links.slice(0, hit.length).map((l) => l.name).join('.')}`;
  // `(…)?.send(x).then(…)`: the optional chain goes on past T, which the guard's `undefined` cannot end
  const end = links[hit.length - 1]!.end;
  const after = end.getParent();
  if (after !== undefined && (Node.isPropertyAccessExpression(after) || Node.isCallExpression(after) || Node.isElementAccessExpression(after)) && after.getExpression() === end && morphTs.isOptionalChain(after.compilerNode)) return { problem: `${whole}: the optional chain (\`?.\`) goes on past its template; rewrite it by hand`, hit };
  if (at.length > 1) return { problem: `${whole} crosses more than one \`?.\`, which its template cannot test; rewrite it by hand`, hit };
  const j = at[0]!;
  const prefix = links.slice(0, j).map((l) => l.name);
  const tested = [o.subject, ...prefix].join('.');
  const testedShown = [head, ...links.slice(0, j).map((l) => (l.call ? `${l.name}(…)` : l.name))].join('.');
  const template = j === 0 ? o.plain : chains.get(prefix.join('.'));
  if (template === undefined) {
    // no G: T cannot take this use, which stops at a shorter template instead (what follows stays on
    // it, as for any chain), or takes the plain (a field's whole) template with its links kept
    const shorter = longestTemplatedChain(chains, prefix);
    if (shorter) return { hit: shorter };
    if (o.plain !== undefined && j > 0) return {};
  }
  if (template === undefined) return { problem: `${whole} is reached through \`?.${links[j]!.name}\`, which runs the rest (and its arguments) only when ${testedShown} is there, and no template gives that value to test: add one for ${j === 0 && !o.called ? `${o.key} as a whole` : `"${[o.key, ...prefix].join('.')}"`} (the chain's template is then guarded by it), or rewrite it by hand`, hit, untemplated: true };
  if (/\$(m|legacy|self)\b/.test(template)) return { problem: `${whole} is reached through \`?.${links[j]!.name}\`, tested through the template of ${tested}, which uses the receiver or the legacy object; rewrite it by hand`, hit };
  const args = [...o.subjectArgs, ...links.slice(0, j).flatMap((l) => l.call?.getArguments() ?? [])];
  // the test and T both read them: one with side effects would run twice
  const acting = args.find((a) => !isPure(a));
  if (acting) return { problem: `${whole} is reached through \`?.${links[j]!.name}\`, tested, then used by the chain's template: \`${acting.getText()}\` may have side effects and would be evaluated twice; bind it to a const first`, hit };
  return { hit, guard: { template, args } };
}
