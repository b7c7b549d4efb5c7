/**
 * The call graph threading walks: from each site's function up through the callers the checker
 * finds (findReferences), until each caller has a context in scope, builds one from a
 * contextSources value, or is a boundary. A function can take the context only when every one
 * of its callers can supply it (a greatest fixpoint, so recursion and cycles thread).
 */
import type { CallExpression, ExpressionWithTypeArguments, SourceFile } from 'ts-morph';
import type { ContextSourceSpec } from '../../manifest/types.js';
import { callerRefs, fnFacts, type Call } from './callers.js';
import { oneLine } from './chain.js';
import { legacyFileTest } from './contracts.js';
import { enclosingFn, type Fn } from './functions.js';
import { sourceAt } from './sources.js';
import type { ThreadOptions } from './types.js';
import { at } from './where.js';

export type { Call } from './callers.js';

export type Edge =
  | { kind: 'ctx'; call: Call; text: string }
  | { kind: 'source'; call: Call; text: string; rule: ContextSourceSpec }
  | { kind: 'fn'; call: Call; to: FnNode }
  | { kind: 'boundary'; reason: string };

export interface FnNode {
  fn: Fn;
  label: string;
  where: string;
  callers: Edge[];
  /** Why this function cannot take the context: its own boundary, or the first caller's. */
  bad?: { reason: string; via?: FnNode };
  /** `implements` entries of legacy interfaces that fix this method's signature: dropped when it is threaded. */
  contracts: ExpressionWithTypeArguments[];
}

export class CallGraph {
  readonly nodes = new Map<Fn, FnNode>();
  private readonly isLegacy: (sf: SourceFile) => boolean;

  constructor(private readonly opts: ThreadOptions) {
    this.isLegacy = legacyFileTest(opts.root, opts.manifest);
  }

  /** The node of `fn`, its callers walked (once per function). */
  visit(fn: Fn): FnNode {
    const known = this.nodes.get(fn);
    if (known) return known;
    const facts = fnFacts(fn, this.opts.root, this.isLegacy);
    const node: FnNode = { fn, label: facts.label, where: facts.where, callers: [], contracts: facts.contracts };
    this.nodes.set(fn, node);
    const r = callerRefs(fn, facts, this.opts, this.isLegacy);
    if ('boundary' in r) {
      node.bad = { reason: r.boundary };
      return node;
    }
    for (const ref of r.refs) node.callers.push('boundary' in ref ? { kind: 'boundary', reason: ref.boundary } : this.callerEdge(ref.call));
    return node;
  }

  /** How a call supplies the context: one in scope, one a contextSources rule builds, or its own function's new parameter. */
  private callerEdge(call: Call): Edge {
    const { root, manifest } = this.opts;
    const ctx = this.opts.contextAt(call as CallExpression);
    if ('text' in ctx) return { kind: 'ctx', call, text: ctx.text };
    if (/several/.test(ctx.missing)) return { kind: 'boundary', reason: `at ${at(root, call)}: ${ctx.missing}` };
    const src = sourceAt(root, call, manifest.contextSources ?? []);
    if (src) return { kind: 'source', call, text: src.text, rule: src.rule };
    const g = enclosingFn(call);
    if (!g) return { kind: 'boundary', reason: `called at module top level, in a property initializer or an accessor at ${at(root, call)}` };
    return { kind: 'fn', call, to: this.visit(g) };
  }

  /** Marks every function that cannot take the context (some caller cannot supply it), to a fixpoint. */
  settle(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const n of this.nodes.values()) {
        if (n.bad) continue;
        for (const e of n.callers) {
          if (e.kind === 'boundary') n.bad = { reason: e.reason };
          else if (e.kind === 'fn' && e.to.bad) n.bad = { reason: e.to.bad.reason, via: e.to };
          if (n.bad) {
            changed = true;
            break;
          }
        }
      }
    }
  }

  /** Every function that takes the context for the threaded sites (good, reachable from `starts`). */
  changed(starts: readonly FnNode[]): FnNode[] {
    const out = new Set<FnNode>();
    const todo = starts.filter((s) => !s.bad);
    while (todo.length) {
      const n = todo.pop()!;
      if (out.has(n)) continue;
      out.add(n);
      for (const e of n.callers) if (e.kind === 'fn' && !e.to.bad) todo.push(e.to);
    }
    return [...out];
  }
}

/** site → f → g … → boundary, for a function the fixpoint marked. */
export function badChain(n: FnNode): string[] {
  const steps: string[] = [];
  const seen = new Set<FnNode>();
  let cur: FnNode | undefined = n;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    steps.push(`${cur.label} (${cur.where})`);
    if (!cur.bad?.via) break;
    cur = cur.bad.via;
  }
  steps.push(`boundary: ${n.bad?.reason ?? '?'}`);
  return steps;
}

/** site → f → callers, then where each chain gets its context. */
export function goodChain(n: FnNode): string[] {
  const steps: string[] = [];
  const ends: string[] = [];
  const seen = new Set<FnNode>();
  const todo = [n];
  while (todo.length) {
    const cur = todo.shift()!;
    if (seen.has(cur)) continue;
    seen.add(cur);
    steps.push(`${cur.label} (${cur.where})`);
    for (const e of cur.callers) {
      if (e.kind === 'fn') todo.push(e.to);
      else if (e.kind === 'ctx') ends.push(`${oneLine(e.text)} in scope at ${e.call.getSourceFile().getBaseName()}:${e.call.getStartLineNumber()}`);
      else if (e.kind === 'source') ends.push(`contextSources ${e.rule.type} → ${oneLine(e.text)} at ${e.call.getSourceFile().getBaseName()}:${e.call.getStartLineNumber()}`);
    }
  }
  return [...steps, ends.length ? `context: ${ends.join('; ')}` : 'context: no caller in the repo'];
}
