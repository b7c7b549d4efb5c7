/** The analysis: the call graph from each site up to its ends, settled, then the edits of the threaded functions and their callers. */
import type { Node, Project } from 'ts-morph';
import { siteLabel } from './chain.js';
import { findContextType } from './context-type.js';
import { enclosingFn } from './functions.js';
import { badChain, CallGraph, goodChain, type FnNode } from './graph.js';
import { planParams } from './params.js';
import { sourceAt } from './sources.js';
import { threadingEdits } from './rewrite.js';
import type { ContextSite, SiteOutcome, ThreadOptions, ThreadResult } from './types.js';
import { at, relPath } from './where.js';

export function threadContext(project: Project, sites: readonly ContextSite[], opts: ThreadOptions): ThreadResult {
  const { root } = opts;
  const graph = new CallGraph(opts);
  const siteFns = sites.map((call) => {
    const src = sourceAt(root, call, opts.manifest.contextSources ?? []);
    if (src) return { call, src };
    const fn = enclosingFn(call);
    return { call, node: fn ? graph.visit(fn) : undefined };
  });
  graph.settle();
  const ctx = findContextType(root, project, opts.manifest);
  const label = (call: ContextSite): string => `${siteLabel(call)} at ${at(root, call)}`;
  const outcomes: SiteOutcome[] = siteFns.map(({ call, node, src }) => {
    const base = { call, file: relPath(root, call), line: call.getStartLineNumber() };
    if (src) return { ...base, chain: [label(call), `context: contextSources ${src.rule.type} → ${src.text}`], source: src.text, sourceRule: src.rule };
    if (!node) return { ...base, chain: [label(call), 'boundary: at module top level, in a property initializer or an accessor (no parameter to add)'], boundary: 'module top level, property initializer or accessor' };
    if (!ctx) return { ...base, chain: [label(call), `boundary: the context type ${opts.manifest.canonical.contextType ?? '(canonical.contextType)'} is not declared anywhere the checker sees`], boundary: 'no context type' };
    if (node.bad) return { ...base, chain: [label(call), ...badChain(node)], boundary: node.bad.reason };
    return { ...base, chain: [label(call), ...goodChain(node)] };
  });
  const good = siteFns.flatMap((s) => (s.node && !s.node.bad && ctx ? [s.node] : []));
  const changed: FnNode[] = graph.changed(good);
  // where a contextSources expression is written: the entry-point calls, and sites that build their own
  const written = [
    ...changed.flatMap((n) => n.callers.flatMap((e) => (e.kind === 'source' ? [{ at: e.call as Node, rule: e.rule }] : []))),
    ...outcomes.flatMap((o) => (o.sourceRule ? [{ at: o.call as Node, rule: o.sourceRule }] : [])),
  ];
  const edits = ctx && (changed.length || written.length) ? threadingEdits(root, planParams(changed, ctx), ctx, written) : new Map();
  return { edits, outcomes, threaded: outcomes.filter((o) => o.boundary === undefined).length };
}
