/** rewrite-imports: the module as a value — `require()`, `import()`, `.then(m => …)`, and `import('…').T` in types. */
import ts from '../engine/ts-api.js';
import type { LegacyTarget } from '../engine/context.js';
import type { ModuleReference } from '../engine/import-forms.js';
import type { Edit } from '../engine/types.js';
import { mapRenames } from './facts.js';
import { wholeModuleUse } from '../legacy-use/left-loads.js';
import type { ImportRewriter } from './rewriter.js';

export function rewriteExpressions(r: ImportRewriter, refs: readonly ModuleReference[]): void {
  for (const ref of refs) {
    if (ref.kind !== 'require' && ref.kind !== 'dynamic-import' && ref.kind !== 'import-type') continue;
    const t = r.targets.classify(ref.specifier);
    if (t?.kind !== 'legacy') continue;
    if (ref.kind === 'import-type') rewriteImportType(r, ref.node as ts.ImportTypeNode, ref.literal as ts.StringLiteral, t.legacy);
    else if ((ref.node as ts.CallExpression).arguments.length === 1) rewriteModuleValue(r, ref.node as ts.CallExpression, ref.literal as ts.StringLiteral, t.legacy, ref.kind === 'dynamic-import');
  }
}

export function rewriteImportType(r: ImportRewriter, node: ts.ImportTypeNode, literal: ts.StringLiteral, legacy: LegacyTarget): void {
  if (node.qualifier) {
    let first: ts.EntityName = node.qualifier;
    while (ts.isQualifiedName(first)) first = first.left;
    const canon = legacy.symbols[first.text];
    if (canon === undefined) {
      r.problem('unmapped-name', node, `import('…').${first.text}: no entry in the symbol map of legacy ${legacy.id}; left unchanged`);
      return;
    }
    r.usedCanonicalNames.add(canon);
    if (canon !== first.text) r.edits.push({ start: first.getStart(r.sf), end: first.end, text: canon });
  } else if (mapRenames(legacy)) {
    r.problem('needs-review', node, `typeof import() of legacy ${legacy.id}: the module type's member names change; left unchanged`);
    return;
  }
  r.retarget(literal);
}

/**
 * `require(L)` / `import(L)` used as a module object: destructuring renames its keys
 * (keeping local names), member access renames the member, a variable holding it is
 * handled like a namespace import in its scope, `.then(m => …)` / `.then(({ A }) => …)`
 * likewise. Anything else is retargeted only when the map renames nothing.
 */
export function rewriteModuleValue(r: ImportRewriter, call: ts.CallExpression, literal: ts.StringLiteral, legacy: LegacyTarget, dynamic: boolean): void {
  let value: ts.Node = call;
  while (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const p = value.parent;
  const renames = mapRenames(legacy);
  if (ts.isVariableDeclaration(p) && p.initializer === value) {
    if (ts.isObjectBindingPattern(p.name)) {
      if (renameBindingKeys(r, p.name, legacy)) r.retarget(literal);
      return;
    }
    if (ts.isIdentifier(p.name)) {
      const scope = enclosingScope(p);
      if (r.rewriteNamespaceLike(p.name, undefined, legacy, p, scope)) r.retarget(literal);
      return;
    }
  }
  if (ts.isPropertyAccessExpression(p) && p.expression === value) {
    if (dynamic && value === call && p.name.text === 'then') {
      rewriteThen(r, p, literal, legacy);
      return;
    }
    const canon = legacy.symbols[p.name.text];
    if (canon === undefined) {
      r.problem('unmapped-name', p, `${p.name.text}: no entry in the symbol map of legacy ${legacy.id}; left unchanged`);
      return;
    }
    r.usedCanonicalNames.add(canon);
    if (canon !== p.name.text) r.edits.push({ start: p.name.getStart(r.sf), end: p.name.end, text: canon });
    r.retarget(literal);
    return;
  }
  if (renames) {
    r.problem('needs-review', call, `${dynamic ? 'import()' : 'require()'} of legacy ${legacy.id} used as a whole module object while the map renames members; left unchanged`);
    return;
  }
  // a load the phases leave (legacy-use/left-loads.ts: discover reports the same loads)
  if (r.removeAdaptersWorksIn(legacy)) {
    r.deferToRemoveAdapters(call, wholeModuleUse(call, dynamic) ?? `${dynamic ? 'import()' : 'require()'} as a whole module object`, legacy.id);
    return;
  }
  r.retarget(literal);
}

export function rewriteThen(r: ImportRewriter, thenAccess: ts.PropertyAccessExpression, literal: ts.StringLiteral, legacy: LegacyTarget): void {
  const thenCall = thenAccess.parent;
  const cb = ts.isCallExpression(thenCall) ? thenCall.arguments[0] : undefined;
  const param = cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) ? cb.parameters[0] : undefined;
  const renames = mapRenames(legacy);
  if (param && ts.isObjectBindingPattern(param.name)) {
    if (renameBindingKeys(r, param.name, legacy)) r.retarget(literal);
    return;
  }
  if (param && ts.isIdentifier(param.name)) {
    if (r.rewriteNamespaceLike(param.name, undefined, legacy, param, cb)) r.retarget(literal);
    return;
  }
  if (renames) {
    r.problem('needs-review', thenAccess, `import() of legacy ${legacy.id} consumed by a callback this codemod cannot follow; left unchanged`);
    return;
  }
  r.retarget(literal);
}

/**
 * `{ A, B: b }` of a legacy module object → `{ CanonA, CanonB: b }`: a binding takes the canonical
 * name (its references renamed) as an import's does (ImportRewriter.planBinding), so no legacy
 * name stays as an alias (`{ CanonA: A }` only when CanonA is taken in the file). False (and a
 * problem) if a key is unmapped, or is a factory/adapter entry point used other than called:
 * remove-adapters rewrites it, reached through the load as through an import (the whole pattern waits).
 */
export function renameBindingKeys(r: ImportRewriter, pattern: ts.ObjectBindingPattern, legacy: LegacyTarget): boolean {
  const edits: Edit[] = [];
  const pendingRenames: Array<() => void> = [];
  r.currentSymbols = legacy.symbols;
  // an entry point only ever called (`getManager()`) becomes the canonical factory's call here and
  // remove-adapters gives it the context it lacks (the load stays where it was); used any other way
  // (`Factory.getInstance()`, passed around) the canonical function would not fit, unchecked (require is untyped)
  const deferred = pattern.elements.find((el) => {
    const key = el.propertyName ?? el.name;
    if (!ts.isIdentifier(key) || !r.rt.ctx.deferred[legacy.moduleId]?.includes(key.text)) return false;
    // a free function's template (functions[]) is expanded at each call by remove-adapters, called or not
    if (r.rt.ctx.functionModules.includes(legacy.moduleId)) return true;
    return !ts.isIdentifier(el.name) || r.referencesOf(el.name).some((id) => !(ts.isCallExpression(id.parent) && id.parent.expression === id));
  });
  if (deferred) {
    r.deferToRemoveAdapters(deferred, ((deferred.propertyName ?? deferred.name) as ts.Identifier).text, legacy.id);
    return false;
  }
  for (const el of pattern.elements) {
    if (el.dotDotDotToken) {
      if (mapRenames(legacy)) {
        r.problem('needs-review', el, `rest element over legacy ${legacy.id} module object; left unchanged`);
        return false;
      }
      continue;
    }
    const key = el.propertyName ?? el.name;
    if (!ts.isIdentifier(key)) {
      r.problem('needs-review', el, `computed key over legacy ${legacy.id} module object; left unchanged`);
      return false;
    }
    const canon = legacy.symbols[key.text];
    if (canon === undefined) {
      r.problem('unmapped-name', el, `${key.text}: no entry in the symbol map of legacy ${legacy.id}; left unchanged`);
      return false;
    }
    r.usedCanonicalNames.add(canon);
    if (canon === key.text) continue;
    const plan = ts.isIdentifier(el.name) ? r.planBinding(key.text, el.name, el.propertyName !== undefined, new Set()) : undefined;
    if (plan?.rename) {
      const local = (el.name as ts.Identifier).text;
      edits.push({ start: key.getStart(r.sf), end: el.name.end, text: canon });
      pendingRenames.push(() => r.renameReferences(r.referencesOf(el.name as ts.Identifier), local, canon));
    } else if (el.propertyName) {
      if (plan?.keptLegacyAlias) r.problem('legacy-alias', el, `${(el.name as ts.Identifier).text} keeps a legacy name as the alias of canonical ${canon}, which is taken in this file; left for a person`);
      edits.push({ start: key.getStart(r.sf), end: key.end, text: canon });
    }
    else edits.push({ start: key.getStart(r.sf), end: key.getStart(r.sf), text: `${canon}: ` });
  }
  for (const rename of pendingRenames) rename();
  r.edits.push(...edits);
  return true;
}
function enclosingScope(node: ts.Node): ts.Node {
  let n: ts.Node = node.parent;
  while (!ts.isSourceFile(n) && !ts.isFunctionLike(n) && !ts.isBlock(n) && !ts.isModuleBlock(n)) n = n.parent;
  return n;
}

