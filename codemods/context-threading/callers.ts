/**
 * The references of a function, each a direct call the phase can edit or the boundary that
 * stops a signature change there (public API, a callback, a value use, a file not edited, a
 * legacy interface that fixes it). Context threading walks these up; remove-adapters asks them
 * whether an unused parameter can go.
 */
import { Node, SyntaxKind, type CallExpression, type ExpressionWithTypeArguments, type NewExpression, type SourceFile } from 'ts-morph';
import { referencesOf } from '../engine/references.js';
import type { SsotManifest } from '../../manifest/types.js';
import { callbackBoundary, containerBuilt, fixedBoundary, reexportBoundary } from './boundary.js';
import { isContractMember, isSiblingImplementation, legacyContracts, legacyFileTest } from './contracts.js';
import { fnLabel, nameNodeOf, type Fn } from './functions.js';
import { at, inRepo, relPath } from './where.js';

export type Call = CallExpression | NewExpression;

export interface CallerOptions {
  root: string;
  manifest: SsotManifest;
  editable: (file: string) => boolean;
  /**
   * The question is whether a parameter can go (remove-adapters), not whether one can be added:
   * a class a container builds (boundary.ts containerBuilt) is then no boundary, and a value use of
   * it (`container.get(C)`, `bind(C).to(C)`) is a token the container builds from, not a caller.
   */
  removing?: boolean;
}

/** One reference: a direct call, or why the signature cannot change for it. */
export type CallerRef = { call: Call } | { boundary: string };

/** A function's own facts the reference walk needs. */
export interface FnFacts {
  label: string;
  where: string;
  /** `implements` entries of legacy interfaces that fix this method's signature. */
  contracts: ExpressionWithTypeArguments[];
}

export function fnFacts(fn: Fn, root: string, isLegacy: (sf: SourceFile) => boolean): FnFacts {
  return { label: fnLabel(fn), where: at(root, fn), contracts: legacyContracts(fn, isLegacy) };
}

/**
 * The boundary the function is by itself, or its references (type-only uses and imports left
 * out). Every reference in the repo is found through the checker, so the project must hold every
 * file that may call it.
 */
export function callerRefs(fn: Fn, facts: FnFacts, opts: CallerOptions, isLegacy: (sf: SourceFile) => boolean): { boundary: string } | { refs: CallerRef[] } {
  const { root } = opts;
  const fixed = opts.editable(relPath(root, fn)) ? fixedBoundary(root, fn, opts.manifest.publicApi ?? [], facts.contracts, opts.removing === true) : `${facts.label} at ${facts.where} is in a file this phase does not edit`;
  if (fixed) return { boundary: fixed };
  const name = nameNodeOf(fn);
  if (!name || !Node.isIdentifier(name)) return { boundary: `${facts.label} at ${facts.where} has no name callers reach it by` };
  const refs: CallerRef[] = [];
  // references outside the repo's sources are dropped here: the search leaves installed declarations out
  for (const r of referencesOf(name, { repoOnly: true })) {
    if (r === name || !inRepo(root, r.getSourceFile()) || isContractMember(r, facts.contracts) || isSiblingImplementation(r, facts.contracts, isLegacy)) continue;
    if (!opts.editable(relPath(root, r))) {
      refs.push({ boundary: `${facts.label} is referenced at ${at(root, r)}, a file this phase does not edit` });
      continue;
    }
    const ref = referenceOf(fn, facts, r, opts);
    if (ref) refs.push(ref);
  }
  return { refs };
}

/** What one reference of a function asks of it: a call to update, a boundary, or nothing (a type use). */
function referenceOf(fn: Fn, facts: FnFacts, r: Node, opts: CallerOptions): CallerRef | undefined {
  const { root } = opts;
  const reexport = r.getFirstAncestorByKind(SyntaxKind.ExportSpecifier);
  if (reexport) {
    const api = reexportBoundary(root, reexport, opts.manifest.publicApi ?? []);
    return api ? { boundary: `${facts.label} ${api}` } : undefined;
  }
  if (r.getFirstAncestor((a) => Node.isImportDeclaration(a) || Node.isExportDeclaration(a) || Node.isTypeQuery(a) || Node.isTypeReference(a))) return undefined;
  const heritage = r.getFirstAncestor((a) => Node.isHeritageClause(a));
  if (heritage) return Node.isConstructorDeclaration(fn) ? { boundary: `${facts.label} is extended at ${at(root, r)} (its super() calls are not followed)` } : undefined;
  const e = Node.isPropertyAccessExpression(r.getParent()) && r.getParentOrThrow().getLastChild() === r ? r.getParentOrThrow() : r;
  const call = e.getParent();
  if ((Node.isCallExpression(call) || Node.isNewExpression(call)) && call.getExpression() === e) {
    if (Node.isConstructorDeclaration(fn) !== Node.isNewExpression(call)) return undefined;
    const through = Node.isPropertyAccessExpression(e) ? facts.contracts.find((c) => c.getType().getSymbol() !== undefined && c.getType().getSymbol() === e.getExpression().getType().getSymbol()) : undefined;
    if (through) return { boundary: `${facts.label} is called through the legacy interface ${through.getText()} at ${at(root, call)}, whose signature does not change` };
    if (call.getArguments().some((a) => Node.isSpreadElement(a))) return { boundary: `${facts.label} is called with spread arguments at ${at(root, call)}` };
    return { call };
  }
  if (opts.removing && Node.isConstructorDeclaration(fn) && containerBuilt(fn)) return undefined;
  if ((Node.isCallExpression(call) || Node.isNewExpression(call)) && call.getArguments().includes(e)) return { boundary: `${facts.label} is a ${callbackBoundary(root, call.getExpression(), e)}` };
  return { boundary: `${facts.label} is used as a value at ${at(root, r)}: whoever calls it there chooses the arguments` };
}

/** Every call of `fn` when all of them are in files the phase edits and nothing else fixes its signature; otherwise why not. */
export function directCalls(fn: Fn, opts: CallerOptions): { calls: Call[] } | { boundary: string } {
  const isLegacy = legacyFileTest(opts.root, opts.manifest);
  const r = callerRefs(fn, fnFacts(fn, opts.root, isLegacy), opts, isLegacy);
  if ('boundary' in r) return r;
  const calls: Call[] = [];
  for (const ref of r.refs) {
    if ('boundary' in ref) return ref;
    calls.push(ref.call);
  }
  return { calls };
}
