/** rewrite-imports: `import … from legacy` declarations, merged into the canonical import. */
import ts from '../engine/ts-api.js';
import type { LegacyTarget } from '../engine/context.js';
import { mergeInto, namedElements, removeElements, renderImport, type NamedSpec } from '../engine/named-list.js';
import { isTypePosition } from '../engine/scope.js';
import type { Edit } from '../engine/types.js';
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
  const planned: PlannedDecl[] = [];
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
      r.rewriteNamespaceLike(nb.name.text, decl.moduleSpecifier as ts.StringLiteral, legacy, decl);
      continue;
    }
    const moved = new Set<ts.Node>();
    let movedDefault = false;
    const take = (imported: string, local: string, aliased: boolean, typeOnly: boolean, node: ts.Node): boolean => {
      // typeOnly may be narrowed below when the canonical name is a type
      if (r.rt.ctx.deferred[legacy.moduleId]?.includes(imported)) {
        r.problem('deferred', node, `${imported} from legacy ${legacy.id} is a factory/adapter entry point; left for remove-adapters`);
        return false;
      }
      const canon = legacy.symbols[imported];
      if (canon === undefined) {
        r.problem('unmapped-name', node, `${imported} from legacy ${legacy.id} has no entry in the manifest symbol map; left unchanged`);
        return false;
      }
      if (!typeOnly && r.rt.ctx.canonical.kinds[canon] === 'type') {
        const refs = r.scope.references.get(local) ?? [];
        if (refs.some((r) => !isTypePosition(r))) {
          r.problem('kind-mismatch', node, `${local} is used as a value but canonical ${canon} is a type only; left unchanged`);
          return false;
        }
        typeOnly = true;
      }
      const plan = r.planBinding(imported, local, aliased, canonicalBindings);
      if (plan.rename) r.renameReferences(local, canon);
      specs.push({ name: canon, alias: plan.alias, typeOnly });
      r.usedCanonicalNames.add(canon);
      return true;
    };
    if (clause.name) movedDefault = take('default', clause.name.text, true, clause.isTypeOnly, clause.name);
    const elements = nb && ts.isNamedImports(nb) ? nb.elements : undefined;
    for (const el of elements ?? []) {
      const imported = (el.propertyName ?? el.name).text;
      if (take(imported, el.name.text, el.propertyName !== undefined, clause.isTypeOnly || el.isTypeOnly, el)) moved.add(el);
    }
    const defaultKept = clause.name !== undefined && !movedDefault;
    const namedKept = (elements?.length ?? 0) - moved.size;
    const anyMoved = movedDefault || moved.size > 0;
    if (!anyMoved) continue;
    if (!defaultKept && namedKept === 0) {
      planned.push({ decl, whole: true, partEdits: [] });
      continue;
    }
    const partEdits: Edit[] = [];
    if (movedDefault) partEdits.push({ start: clause.name!.getStart(r.sf), end: nb!.getStart(r.sf), text: '' });
    if (elements && moved.size > 0) {
      if (namedKept === 0) partEdits.push({ start: clause.name!.end, end: nb!.end, text: '' });
      else partEdits.push(...removeElements(elements, moved));
    }
    planned.push({ decl, whole: false, partEdits });
  }

  const target = canonicalImports.find((d) => mergeInto(d, [], r.text, r.eol) !== undefined);
  if (specs.length > 0) {
    const merged = target ? mergeInto(target, dedupe(specs), r.text, r.eol) : undefined;
    if (merged) r.edits.push(...merged);
    else {
      const anchor = planned[0]!;
      const decl = anchor.decl as ts.ImportDeclaration;
      const rendered = renderImport(dedupe(specs), r.quotedCanonical(decl.moduleSpecifier as ts.StringLiteral), r.semicolonOf(decl));
      if (anchor.whole) {
        r.edits.push({ start: decl.getStart(r.sf), end: decl.end, text: rendered });
        planned.shift();
      } else r.edits.push({ start: decl.end, end: decl.end, text: r.eol + rendered });
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

export function dedupe(specs: NamedSpec[]): NamedSpec[] {
  const out: NamedSpec[] = [];
  for (const s of specs) {
    const prev = out.find((o) => o.alias === s.alias && o.name === s.name);
    if (!prev) out.push({ ...s });
    else if (!s.typeOnly) prev.typeOnly = false;
  }
  return out;
}
