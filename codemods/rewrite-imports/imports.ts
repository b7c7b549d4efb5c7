/** rewrite-imports: `import … from legacy` declarations, merged into the canonical import. */
import ts from '../engine/ts-api.js';
import type { LegacyTarget } from '../engine/context.js';
import { collapseSelfAliases, mergeInto, namedElements, removeElements, renderImport, rewriteList, trailingCommentOf, type ListRewrite, type NamedSpec, type Specifier } from '../engine/named-list.js';
import { isTypePosition } from '../engine/scope.js';
import type { Edit } from '../engine/types.js';
import { becomesType } from './exports.js';
import { knowsExports } from './facts.js';
import type { ImportRewriter, PlannedDecl } from './rewriter.js';

export function rewriteImportDeclarations(r: ImportRewriter, legacyImports: Array<{ decl: ts.ImportDeclaration; legacy: LegacyTarget }>,
  canonicalImports: ts.ImportDeclaration[],
): void {
  if (legacyImports.length === 0) return;
  // bindings that already are (or will be) canonical imports of the same name
  const canonicalBindings = new Set<string>();
  for (const d of canonicalImports) for (const el of namedElements(d) ?? []) if ((el.propertyName ?? el.name).text === el.name.text) canonicalBindings.add(el.name.text);
  for (const { decl, legacy } of legacyImports) {
    const nb = decl.importClause?.namedBindings;
    if (nb && ts.isNamedImports(nb))
      for (const el of nb.elements) if (legacy.symbols[(el.propertyName ?? el.name).text] === el.name.text) canonicalBindings.add(el.name.text);
  }

  const specs: NamedSpec[] = [];
  const planned: Array<PlannedDecl & { changes: Map<Specifier, NamedSpec>; dropped: Set<Specifier>; defaultSpec?: NamedSpec }> = [];
  const sideEffects: ts.ImportDeclaration[] = [];
  for (const { decl, legacy } of legacyImports) {
    r.currentSymbols = legacy.symbols;
    const clause = decl.importClause;
    if (!clause) {
      sideEffects.push(decl);
      continue;
    }
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) {
      if (clause.name) {
        r.problem('needs-review', decl, `default plus namespace import of legacy ${legacy.id} left unchanged`);
        continue;
      }
      r.rewriteNamespaceLike(nb.name, decl.moduleSpecifier as ts.StringLiteral, legacy, decl);
      continue;
    }
    const changes = new Map<Specifier, NamedSpec>();
    // dead imports: names the legacy module does not export (known from its source) and the file never uses
    const dropped = new Set<Specifier>();
    let defaultSpec: NamedSpec | undefined;
    /** The canonical spec of one binding; null: a dead import to delete; undefined: it stays. */
    const take = (imported: string, binding: ts.Identifier, aliased: boolean, typeOnly: boolean, node: ts.Node): NamedSpec | null | undefined => {
      const local = binding.text;
      // typeOnly may be narrowed below when the canonical name is a type
      if (r.held(binding, node)) return undefined;
      if (r.rt.ctx.deferred[legacy.moduleId]?.includes(imported)) {
        r.deferToRemoveAdapters(node, imported, legacy.id);
        return undefined;
      }
      const canon = legacy.symbols[imported];
      if (canon === undefined && dangling(legacy, imported)) {
        if (r.referencesOf(binding).length === 0) return null;
        r.problem('needs-review', node, `${imported} is not exported by legacy ${legacy.id} (a dangling import) but the file uses it; left for a person`);
        return undefined;
      }
      if (canon === undefined) {
        r.problem('unmapped-name', node, `${imported} from legacy ${legacy.id} has no entry in the manifest symbol map${r.freeFunctionHint(legacy)}; left unchanged`);
        return undefined;
      }
      const refs = r.referencesOf(binding);
      if (!typeOnly && r.rt.ctx.canonical.kinds[canon] === 'type') {
        if (refs.some((ref) => !isTypePosition(ref))) {
          r.problem('kind-mismatch', node, `${local} is used as a value but canonical ${canon} is a type only; left unchanged`);
          return undefined;
        }
        typeOnly = becomesType(r, legacy, imported, canon);
      }
      const plan = r.planBinding(imported, binding, aliased, canonicalBindings);
      if (plan.rename) r.renameReferences(refs, local, canon);
      if (plan.keptLegacyAlias) r.problem('legacy-alias', node, `${local} keeps a legacy name as the alias of canonical ${canon}, which is taken in this file; left for a person`);
      const comment = trailingCommentOf(node, r.text);
      const spec: NamedSpec = { name: canon, alias: plan.alias, typeOnly, ...(comment !== undefined ? { comment } : {}) };
      specs.push(spec);
      r.usedCanonicalNames.add(canon);
      return spec;
    };
    if (clause.name) defaultSpec = take('default', clause.name, true, clause.isTypeOnly, clause.name) ?? undefined;
    const elements = nb && ts.isNamedImports(nb) ? nb.elements : undefined;
    for (const el of elements ?? []) {
      const imported = (el.propertyName ?? el.name).text;
      const spec = take(imported, el.name, el.propertyName !== undefined, clause.isTypeOnly || el.isTypeOnly, el);
      if (spec) changes.set(el, spec);
      else if (spec === null) dropped.add(el);
    }
    const movedDefault = defaultSpec !== undefined;
    const defaultKept = clause.name !== undefined && !movedDefault;
    const namedKept = (elements?.length ?? 0) - changes.size - dropped.size;
    if (!movedDefault && changes.size === 0 && dropped.size === 0) continue;
    if (!defaultKept && namedKept === 0) {
      planned.push({ decl, whole: true, partEdits: [], changes, dropped, ...(defaultSpec ? { defaultSpec } : {}) });
      continue;
    }
    const partEdits: Edit[] = [];
    if (movedDefault) partEdits.push({ start: clause.name!.getStart(r.sf), end: nb!.getStart(r.sf), text: '' });
    if (elements && changes.size + dropped.size > 0) {
      const gone = new Set<Specifier>([...changes.keys(), ...dropped]);
      if (namedKept === 0) partEdits.push({ start: clause.name!.end, end: nb!.end, text: '' });
      else partEdits.push(...removeElements(elements, gone), ...collapseSelfAliases(elements, gone));
    }
    planned.push({ decl, whole: false, partEdits, changes, dropped });
  }

  const target = canonicalImports.find((d) => mergeInto(d, [], r.text, r.eol) !== undefined);
  if (specs.length > 0) {
    // where the canonical names go: the existing canonical import, else the first legacy import
    // that moves whole (edited in place: its specifier and the entries whose names change), else
    // a new statement after the first one that moves in part
    const anchor = target ? undefined : planned.find((p) => p.whole);
    if (target) r.edits.push(...rewriteList(target, { append: dedupe(specs) }, r.text, r.style)!);
    else if (anchor) {
      const decl = anchor.decl as ts.ImportDeclaration;
      const own = new Set([...anchor.changes.values(), ...(anchor.defaultSpec ? [anchor.defaultSpec] : [])]);
      const others = dedupe(specs.filter((s) => !own.has(s)));
      // set one by one, not spread: an empty `dropped` spreads into an array of another map than a
      // filled one, and the first file with one deoptimized this function (--trace-deopt)
      const changes = new Map<Specifier, NamedSpec | null>(anchor.changes);
      for (const d of anchor.dropped) changes.set(d, null);
      const rewrite: ListRewrite = { changes, append: others, specifier: r.quotedCanonical(decl.moduleSpecifier as ts.StringLiteral) };
      if (anchor.defaultSpec) Object.assign(rewrite, { prepend: [anchor.defaultSpec], dropDefault: true });
      r.edits.push(...rewriteList(decl, rewrite, r.text, r.style)!);
      planned.splice(planned.indexOf(anchor), 1);
    } else {
      const decl = planned[0]!.decl as ts.ImportDeclaration;
      const rendered = renderImport(dedupe(specs), r.quotedCanonical(decl.moduleSpecifier as ts.StringLiteral), r.semicolonOf(decl), r.style);
      r.edits.push({ start: decl.end, end: decl.end, text: r.eol + rendered });
    }
  }
  for (const p of planned) {
    if (p.whole) r.removeStatement(p.decl);
    else r.edits.push(...p.partEdits);
  }
  const canonicalPresent = canonicalImports.length > 0 || specs.length > 0;
  sideEffects.forEach((decl, i) => {
    if (canonicalPresent || i > 0) r.removeStatement(decl);
    else r.retarget(decl.moduleSpecifier as ts.StringLiteral);
  });
}

/** A name the legacy module does not export, known from its source (nothing is dangling when its exports are unknown). */
function dangling(legacy: LegacyTarget, imported: string): boolean {
  return imported !== 'default' && knowsExports(legacy) && legacy.exports[imported] === undefined;
}

export function dedupe(specs: NamedSpec[]): NamedSpec[] {
  const out: NamedSpec[] = [];
  for (const s of specs) {
    const prev = out.find((o) => o.alias === s.alias && o.name === s.name);
    if (!prev) out.push({ ...s });
    else if (!s.typeOnly) prev.typeOnly = false;
  }
  return out;
}
