/**
 * The side-effect rule one check gives member, adapter-method, free-function and construction
 * templates (arguments.ts): which parts of a call may be dropped or repeated (pure), which must
 * be built once (fresh), which an earlier side effect may change (not stable), and what a
 * template that repeats, drops or reorders them is given: nothing, parts evaluated once ahead of
 * it, or a problem to mark. The fixtures show the rewritten code; this pins the rule per form.
 */
import { Node, Project, SyntaxKind } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { isFresh, isPure, isStable, planArguments } from './arguments.js';

const probes: Array<[string, { pure: boolean; fresh?: boolean; stable?: boolean }]> = [
  ['n', { pure: true, stable: false }],
  ['c', { pure: true, stable: true }],
  ['p', { pure: true, stable: true }],
  ['q', { pure: true, stable: false }],
  ['-1', { pure: true, stable: true }],
  ['-c', { pure: true, stable: true }],
  ['-big', { pure: true }],
  ['-o', { pure: false }],
  ['!o', { pure: true }],
  ['typeof o', { pure: true }],
  ['void 0', { pure: true, stable: true }],
  ['`a${s}b${c}`', { pure: true }],
  ['`a${o}`', { pure: false }],
  ['`a${f()}`', { pure: false }],
  ['o.a', { pure: true, stable: false }],
  ['arr[c]', { pure: true, stable: false }],
  ['arr[o as never]', { pure: false }],
  ['{ a: c, b: s, [s]: 1, m() { return 1; } }', { pure: true, fresh: true }],
  ['{ a: f() }', { pure: false }],
  ['{ ...o }', { pure: true, fresh: true }],
  ['[c, , ...arr]', { pure: true, fresh: true }],
  ['[...it]', { pure: false }],
  ['() => f()', { pure: true, fresh: true, stable: true }],
  ['function () { return f(); }', { pure: true, fresh: true, stable: true }],
  ['/x/g', { pure: true, fresh: true }],
  ['c === s.length ? s : "x"', { pure: true }],
  ['s || "x"', { pure: true }],
  ['s + "x"', { pure: false }],
  ['f()', { pure: false }],
  ['new Date()', { pure: false }],
  ['n++', { pure: false }],
  ['(n = 2)', { pure: false }],
];

function project(exprs: readonly string[], asArguments = false) {
  const p = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, target: 99, lib: ['lib.es2022.d.ts'] } });
  const text = [
    'declare function f(): number; declare function g(...a: unknown[]): void;',
    'declare const o: { a: number; toString(): string };',
    'declare const s: string; declare const arr: number[]; declare const it: Iterable<number>; declare const big: bigint;',
    'let n = 1; n = 3; const c = 2; declare const $1: string;',
    `export function probe(p: string, q: string): void {`,
    '  q = p;',
    ...(asArguments ? [`  g(${exprs.join(', ')});`] : exprs.map((e, i) => `  const v${i} = ${e};`)),
    '}',
  ].join('\n');
  const sf = p.createSourceFile('/probe.ts', text);
  if (asArguments) return sf.getDescendantsOfKind(SyntaxKind.CallExpression).find((c) => c.getExpression().getText() === 'g')!.getArguments();
  const decls = sf.getDescendantsOfKind(SyntaxKind.VariableDeclaration);
  return exprs.map((_, i) => decls.find((d) => d.getName() === `v${i}`)!.getInitializerOrThrow());
}

describe('arguments.ts: the side-effect rule', () => {
  const nodes = project(probes.map(([e]) => e));
  for (const [i, [text, want]] of probes.entries()) {
    it(`${text}: ${want.pure ? 'pure' : 'may have side effects'}${want.fresh ? ', fresh' : ''}${want.stable === undefined ? '' : want.stable ? ', stable' : ', not stable'}`, () => {
      const n = nodes[i]!;
      expect(isPure(n)).toBe(want.pure);
      if (want.pure) expect(isFresh(n)).toBe(want.fresh ?? false);
      if (want.stable !== undefined) expect(isStable(n)).toBe(want.stable);
    });
  }
});

describe('arguments.ts: planArguments', () => {
  const call = (args: string[]): Node[] => project(args, true);
  const plan = (template: string, args: string[], options = {}) => {
    const r = planArguments(template, call(args), 'X.m', 'the template', options);
    return 'problem' in r ? r.problem : r.bound.map((b) => `${b.used ? '' : '_'}${b.index === 0 ? '$m' : `$${b.index}`}=${b.node.getText()}`).join(' ');
  };

  it('leaves a call the template evaluates as it did alone', () => {
    expect(plan('$hub.send($1, $2)', ['f()', 'f()'])).toBe('');
    expect(plan('$hub.send($1, { a: $2, b: $2 })', ['f()', 'c'])).toBe('');
    expect(plan('$hub.send($2 ?? 1, $1)', ['c', 'p'])).toBe('');
  });

  it('binds a repeated, dropped, conditional or reordered part with side effects, and what it may change before it', () => {
    expect(plan('$hub.send($1, { a: $2, b: $2 })', ['n', 'f()'])).toBe('$1=n $2=f()');
    expect(plan('$hub.send($1)', ['c', 'f()'])).toBe('_$2=f()');
    expect(plan('$hub.send($2, $1)', ['f()', 'f()'])).toBe('$1=f() $2=f()');
    expect(plan('$hub.send($2, $1)', ['f()', 'n'])).toBe('$1=f()');
    expect(plan('$1 ? $hub.send($2) : 0', ['c', 'f()'])).toBe('$2=f()');
    expect(plan('$hub?.send($1)', ['f()'])).toBe('$1=f()');
    expect(plan('$hub.send(() => $1)', ['f()'])).toBe('$1=f()');
    expect(plan('$hub.send($1, $1)', ['{ a: s }'])).toBe('$1={ a: s }');
    expect(plan('$m.a($1) + $m.b()', ['f()'], { receiver: call(['f()'])[0] })).toBe('$m=f() $1=f()');
  });

  it("does not count `$user(x)` when the binding writes it without x", () => {
    expect(plan('$user($1).emit($2)', ['f()', 'c'], { userArgumentDropped: true })).toBe('_$1=f()');
    expect(plan('$user($1).emit($2)', ['f()', 'c'])).toBe('');
  });

  it('refuses a spread, a template that awaits, a name the arrow would shadow, and a literal type it would widen', () => {
    expect(plan('$hub.send($1)', ['...arr'])).toMatch(/spread argument/);
    expect(plan('await $hub.send($1, $1)', ['f()'])).toMatch(/awaits or yields/);
    expect(plan('await $hub.send($1, $1)', ['c'])).toBe('');
    expect(plan('$hub.send($1, $2, $2)', ['$1', 'f()'])).toMatch(/names a `\$…` parameter of the arrow/);
    expect(plan('$hub.send($1, $2)', ['$1', 'f()'])).toBe('');
    // an arrow's parameter widens a literal type the call's context kept: `{ a: 'x' as const }` would be `{ a: string }` there
    expect(plan('$hub.send($1, $1)', ["{ a: 'x' as const }"])).toMatch(/lose its literal type/);
    expect(plan('$hub.send($1, $1)', ['{ a: c }'])).toBe('$1={ a: c }');
  });
});
